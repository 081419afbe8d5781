package dev.floe.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * Floe's embedded default catalog for a data folder (CatalogProducer), as any other process opens it: with Iceberg's own
 * JdbcCatalog ({@code type=jdbc}) on the same SQLite file and warehouse. Floe itself uses {@code CachingJdbcCatalog},
 * the same tables and SQL.
 */
final class EmbeddedDefault {

    private EmbeddedDefault() {
    }

    static Map<String, String> properties(Path data) {
        return Map.of("type", "jdbc",
                "uri", "jdbc:sqlite:" + data.resolve("catalog.db") + "?journal_mode=WAL&busy_timeout=5000",
                "warehouse", data.resolve("warehouse").toString());
    }
}
