package dev.floe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/** What a benchmark run of Floe on its embedded catalog did, read from the table's own snapshots. */
final class RunStats {

    private RunStats() {
    }

    /** Rows in Floe's default table under {@code data}, 0 while it does not exist. */
    static long rows(Path data) throws Exception {
        try (Catalogs c = new Catalogs(data)) {
            TableIdentifier id = TableIdentifier.parse("default.events");
            if (!c.catalog.tableExists(id)) {
                return 0;
            }
            long rows = 0;
            for (Snapshot s : c.catalog.loadTable(id).snapshots()) {
                if (DataOperations.REPLACE.equals(s.operation())) {
                    continue;
                }
                rows += Long.parseLong(s.summary().getOrDefault("added-records", "0"));
            }
            return rows;
        }
    }

    static void report(Path data, int events, double totalSeconds, long peakKb) throws Exception {
        try (Catalogs c = new Catalogs(data)) {
            Table table = c.catalog.loadTable(TableIdentifier.parse("default.events"));
            List<Snapshot> snapshots = new ArrayList<>();
            table.snapshots().forEach(snapshots::add);
            snapshots.sort(Comparator.comparingLong(Snapshot::timestampMillis));
            long rows = 0;
            long fromRows = 0;
            long fromMillis = -1;
            long toRows = 0;
            long toMillis = -1;
            for (Snapshot s : snapshots) {
                if (DataOperations.REPLACE.equals(s.operation())) {
                    continue; // a compaction (maintenance is on by default) adds the rows it rewrites: none are new
                }
                rows += Long.parseLong(s.summary().getOrDefault("added-records", "0"));
                if (fromMillis < 0 && rows >= events / 10) {
                    fromRows = rows;
                    fromMillis = s.timestampMillis();
                }
                if (toMillis < 0 && rows >= events * 9L / 10) {
                    toRows = rows;
                    toMillis = s.timestampMillis();
                }
            }
            double steady = (toRows - fromRows) / Math.max(0.001, (toMillis - fromMillis) / 1000.0);
            long first = snapshots.get(0).timestampMillis();
            long last = snapshots.get(snapshots.size() - 1).timestampMillis();
            System.out.printf("rows=%d commits=%d start_to_all_committed_s=%.1f first_to_last_commit_s=%.1f "
                    + "steady_rows_per_s=%.0f peak_rss_mb=%d%n", rows, snapshots.size(), totalSeconds,
                    (last - first) / 1000.0, steady, peakKb / 1024);
            if (rows != events) {
                throw new IllegalStateException("the table holds " + rows + " rows, expected " + events);
            }
        }
    }

    static long hwmKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // the process just ended
        }
        return 0;
    }

    /** Floe's embedded catalog in a data folder. */
    private static final class Catalogs implements AutoCloseable {

        final Catalog catalog;

        Catalogs(Path data) {
            catalog = CatalogUtil.buildIcebergCatalog("floe", Map.of("type", "jdbc", "uri",
                    "jdbc:sqlite:" + data.resolve("catalog.db"), "warehouse", data.resolve("warehouse").toString()),
                    new Configuration());
        }

        @Override
        public void close() throws Exception {
            ((AutoCloseable) catalog).close();
        }
    }
}
