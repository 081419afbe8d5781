package dev.floe.bench;

import java.nio.file.Path;
import java.util.Map;

/** The catalog properties of Floe's embedded default (CatalogProducer) for a data folder, for the bench tools. */
final class EmbeddedDefault {

    private EmbeddedDefault() {
    }

    static Map<String, String> properties(Path data) {
        return Map.of("type", "jdbc",
                "uri", "jdbc:sqlite:" + data.resolve("catalog.db") + "?journal_mode=WAL&busy_timeout=5000",
                "warehouse", data.resolve("warehouse").toString());
    }
}
