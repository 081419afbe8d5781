package dev.floe.app;

import java.util.ArrayList;
import java.util.List;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/** Reads rows back with Iceberg's own generic reader, as a user would. */
public final class Tables {

    private Tables() {
    }

    public static List<Record> rowsWithIdPrefix(Catalog catalog, String table, String prefix) {
        TableIdentifier id = TableIdentifier.parse(table);
        if (!catalog.tableExists(id)) {
            return List.of();
        }
        Table t = catalog.loadTable(id);
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(t).where(Expressions.startsWith("id", prefix))
                .build()) {
            it.forEach(rows::add);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** The most rows one commit of the table added, from Iceberg's snapshot summaries. */
    public static long largestCommit(Catalog catalog, String table) {
        long largest = 0;
        for (Snapshot snapshot : catalog.loadTable(TableIdentifier.parse(table)).snapshots()) {
            largest = Math.max(largest,
                    Long.parseLong(snapshot.summary().getOrDefault(SnapshotSummary.ADDED_RECORDS_PROP, "0")));
        }
        return largest;
    }
}
