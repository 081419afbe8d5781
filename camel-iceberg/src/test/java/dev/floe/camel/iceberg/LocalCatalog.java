package dev.floe.camel.iceberg;

import java.nio.file.Path;

/** An iceberg: endpoint on a JDBC catalog in a SQLite file and a local warehouse, both under a test's folder. */
final class LocalCatalog {

    private LocalCatalog() {
    }

    static String endpoint(Path dir, String table, String options) {
        return "iceberg:" + table + "?catalogName=test&catalog.type=jdbc"
                + "&catalog.uri=RAW(jdbc:sqlite:" + dir.resolve("catalog.db") + "?journal_mode=WAL&busy_timeout=5000)"
                + "&catalog.warehouse=" + dir.resolve("warehouse").toUri() + options;
    }
}
