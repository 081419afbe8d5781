package dev.floe.deploy;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.InProcessRestCatalog;

/**
 * Iceberg's REST catalog server, in this JVM, that a Floe process writes default.events through: backed by a JDBC
 * catalog in a SQLite file with a local warehouse, so it can be stopped and started again (same file, same port) with
 * its tables intact. The table is read back straight from the server, never through a fault proxy.
 */
final class ProcessRestCatalog implements AutoCloseable {

    static final TableIdentifier TABLE = TableIdentifier.parse("default.events");

    private final Map<String, String> config = new HashMap<>();
    private final int port;
    private InProcessRestCatalog server;

    private ProcessRestCatalog(Path dir, int port) {
        this.port = port;
        config.put("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        config.put("uri", "jdbc:sqlite:" + dir.resolve("rest-catalog.db"));
        config.put("jdbc.schema-version", "V1");
        config.put("warehouse", dir.resolve("rest-warehouse").toString());
        config.put("rest.port", String.valueOf(port));
    }

    static ProcessRestCatalog start(Path dir) throws Exception {
        ProcessRestCatalog catalog = new ProcessRestCatalog(dir, FloeProcess.freePort());
        catalog.startServer();
        return catalog;
    }

    int port() {
        return port;
    }

    /** The environment that points Floe at a REST catalog on this port (the server's, or a proxy's in front of it). */
    static Map<String, String> floeEnv(int port) {
        return Map.of("FLOE_CATALOG_PROPERTIES_TYPE", "rest", "FLOE_CATALOG_PROPERTIES_URI",
                "http://127.0.0.1:" + port);
    }

    /** The server goes away (its port refuses connections); its SQLite file and warehouse stay. */
    void stopServer() throws Exception {
        server.stop();
        server = null;
    }

    /** Starts the server, again on the same SQLite file and the same port after {@link #stopServer()}. */
    void startServer() throws Exception {
        InProcessRestCatalog next = new InProcessRestCatalog(config);
        next.start();
        server = next;
    }

    /** The ids of the rows of default.events, read with Iceberg's reader (which opens every data file). */
    List<String> ids() {
        return rows().stream().map(r -> (String) r.getField("id")).toList();
    }

    /** The rows of default.events, every column, read with Iceberg's reader. */
    List<Record> rows() {
        return read(table -> {
            List<Record> rows = new ArrayList<>();
            try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
                it.forEach(r -> rows.add(r.copy()));
            }
            return rows;
        });
    }

    /** The snapshots of default.events, oldest first. */
    List<Snapshot> snapshots() {
        return read(table -> {
            List<Snapshot> snapshots = new ArrayList<>();
            table.snapshots().forEach(snapshots::add);
            return snapshots;
        });
    }

    private <T> T read(TableRead<T> read) {
        Catalog catalog = CatalogUtil.buildIcebergCatalog("reader",
                Map.of("type", "rest", "uri", "http://127.0.0.1:" + port), new Configuration());
        try (Closeable closing = (Closeable) catalog) {
            return read.apply(catalog.loadTable(TABLE));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface TableRead<T> {

        T apply(Table table) throws Exception;
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            stopServer();
        }
    }
}
