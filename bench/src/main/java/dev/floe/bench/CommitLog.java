package dev.floe.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The appends a sink committed to one table, polled while it runs. Kept across polls because snapshot expiry (Floe's
 * maintenance) may drop old snapshots before the run ends; compactions (replace) add no rows and are left out.
 */
final class CommitLog {

    private record Append(long millis, long rows) {
    }

    private final Catalog catalog;
    private final TableIdentifier id;
    private final Map<Long, Append> appends = new LinkedHashMap<>();
    private String lastError;

    CommitLog(Catalog catalog, TableIdentifier id) {
        this.catalog = catalog;
        this.id = id;
    }

    /**
     * Reads the table's snapshots now; returns the rows committed so far (0 while the table does not exist). An error
     * (the sink may not have created its catalog yet) is kept for the report and counts as no new rows.
     */
    long poll() {
        Table table;
        try {
            if (!catalog.tableExists(id)) {
                return 0;
            }
            table = catalog.loadTable(id);
        } catch (RuntimeException e) {
            lastError = e.toString();
            return rows();
        }
        for (Snapshot s : table.snapshots()) {
            if (DataOperations.APPEND.equals(s.operation())) {
                appends.computeIfAbsent(s.snapshotId(), k -> new Append(s.timestampMillis(),
                        Long.parseLong(s.summary().getOrDefault("added-records", "0"))));
            }
        }
        return rows();
    }

    long rows() {
        return appends.values().stream().mapToLong(Append::rows).sum();
    }

    /** The last error a poll met, to explain a run that never finished, or "". */
    String lastError() {
        return lastError == null ? "" : " (last error reading the table: " + lastError + ")";
    }

    int commits() {
        return appends.size();
    }

    long firstCommitMillis() {
        return ordered().get(0).millis;
    }

    /** When the committed rows first reached {@code rows}, or -1. */
    long reachedMillis(long rows) {
        long sum = 0;
        for (Append a : ordered()) {
            sum += a.rows;
            if (sum >= rows) {
                return a.millis;
            }
        }
        return -1;
    }

    /**
     * Rows per second between the commits that took the table past 10 % and past 90 % of {@code rows}; NaN when one
     * commit did both (too few commits to tell).
     */
    double steadyRowsPerSecond(long rows) {
        long sum = 0;
        long fromRows = -1;
        long fromMillis = 0;
        for (Append a : ordered()) {
            sum += a.rows;
            if (fromRows < 0 && sum >= rows / 10) {
                fromRows = sum;
                fromMillis = a.millis;
            }
            if (sum >= rows * 9 / 10) {
                return a.millis == fromMillis ? Double.NaN : (sum - fromRows) * 1000.0 / (a.millis - fromMillis);
            }
        }
        return Double.NaN;
    }

    private List<Append> ordered() {
        List<Append> list = new ArrayList<>(appends.values());
        list.sort(Comparator.comparingLong(Append::millis));
        return list;
    }
}
