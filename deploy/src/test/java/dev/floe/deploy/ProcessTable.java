package dev.floe.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The table a Floe process writes in a test: a JDBC catalog on SQLite and a warehouse in the test's folder, given to
 * Floe through environment variables as the manifests do, and read back with Iceberg's own reader.
 */
final class ProcessTable {

    private final Path dir;

    ProcessTable(Path dir) {
        this.dir = dir;
    }

    Map<String, String> catalogEnv() {
        return Map.of("FLOE_CATALOG_PROPERTIES_TYPE", "jdbc", "FLOE_CATALOG_PROPERTIES_URI", uri(),
                "FLOE_CATALOG_PROPERTIES_WAREHOUSE", warehouse());
    }

    /** The ids of the rows of default.events; none while it does not exist. */
    List<String> ids() {
        return read(table -> {
            List<String> ids = new ArrayList<>();
            try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
                it.forEach(r -> ids.add((String) r.getField("id")));
            }
            return ids;
        }, List.of());
    }

    /** How many rows default.events holds, from its current snapshot's summary: cheap enough to poll. */
    long rowCount() {
        return read(table -> table.currentSnapshot() == null
                ? 0L
                : Long.parseLong(table.currentSnapshot().summary().get("total-records")), 0L);
    }

    /** A source's watermarks as the table holds them now (see {@link #watermarkHistory}); none without a table. */
    Map<String, Long> watermarks(String source) {
        List<Map<String, Long>> history = watermarkHistory(source);
        return history.isEmpty() ? Map.of() : history.get(history.size() - 1);
    }

    /**
     * A source's watermarks ({@code floe.offsets.<source>} in the snapshot summaries, e.g. source
     * {@code kafka.<group>}) in each snapshot of the table's history that holds them, oldest first: partition name
     * ({@code topic/partition}) to the highest offset the table holds.
     */
    List<Map<String, Long>> watermarkHistory(String source) {
        return read(table -> {
            List<Map<String, Long>> history = new ArrayList<>();
            if (table.currentSnapshot() == null) {
                return history;
            }
            for (Snapshot snapshot : SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
                String marks = snapshot.summary().get("floe.offsets." + source);
                if (marks != null) {
                    Map<String, Long> watermarks = new TreeMap<>();
                    for (String mark : marks.split(",")) {
                        int eq = mark.lastIndexOf('=');
                        watermarks.put(mark.substring(0, eq), Long.parseLong(mark.substring(eq + 1)));
                    }
                    history.add(0, watermarks);
                }
            }
            return history;
        }, List.of());
    }

    /** What {@code reading} finds in default.events; {@code withoutTable} while the table does not exist. */
    private <T> T read(TableReading<T> reading, T withoutTable) {
        Catalog catalog = CatalogUtil.buildIcebergCatalog("floe",
                Map.of("type", "jdbc", "uri", uri(), "warehouse", warehouse()), new Configuration());
        try (AutoCloseable closing = (AutoCloseable) catalog) {
            TableIdentifier id = TableIdentifier.parse("default.events");
            return catalog.tableExists(id) ? reading.read(catalog.loadTable(id)) : withoutTable;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private interface TableReading<T> {

        T read(Table table) throws Exception;
    }

    /** prefix0 … prefix(n-1). */
    static List<String> numbered(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private String uri() {
        return "jdbc:sqlite:" + dir.resolve("catalog.db");
    }

    private String warehouse() {
        return dir.resolve("warehouse").toUri().toString();
    }
}
