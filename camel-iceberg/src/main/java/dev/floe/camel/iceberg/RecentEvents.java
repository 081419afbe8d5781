package dev.floe.camel.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.cloudevents.CloudEvent;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/**
 * The (source, id) of the events a table took within a recent window, so a redelivered event (an HTTP client retrying
 * after a lost response, an AMQP redelivery) is not written twice. Filled from the table's recent snapshots when the
 * writer starts, so it survives a restart; bounded in age and in size. Used from the table's lane only.
 */
final class RecentEvents {

    private final long windowMillis;
    private final int maxEntries;
    // key → commit time, oldest first
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    RecentEvents(long windowSeconds, int maxEntries) {
        this.windowMillis = windowSeconds * 1000;
        this.maxEntries = maxEntries;
    }

    static String key(CloudEvent event) {
        return event.getSource() + "\u0000" + event.getId();
    }

    boolean contains(CloudEvent event) {
        return seen.containsKey(key(event));
    }

    void add(String key, long committedAtMillis) {
        seen.remove(key);
        seen.put(key, committedAtMillis);
        evict(System.currentTimeMillis());
    }

    /** Reads source and id of the rows the snapshots of the window added (newest first, until full). */
    void load(Table table) {
        long now = System.currentTimeMillis();
        Schema keys = table.schema().select(EventTableLayout.SOURCE, EventTableLayout.ID);
        LinkedHashMap<String, Long> found = new LinkedHashMap<>();
        for (Snapshot s = table.currentSnapshot(); s != null && now - s.timestampMillis() <= windowMillis
                && found.size() < maxEntries; s = parent(table, s)) {
            for (DataFile file : s.addedDataFiles(table.io())) {
                if (file.format() != FileFormat.PARQUET) {
                    continue;
                }
                try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(file.location()))
                        .project(keys)
                        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(keys, fileSchema))
                        .build()) {
                    for (Record row : rows) {
                        found.putIfAbsent(row.getField(EventTableLayout.SOURCE) + "\u0000"
                                + row.getField(EventTableLayout.ID), s.timestampMillis());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        // found is newest first; keep the map oldest first
        Object[] entries = found.entrySet().toArray();
        for (int i = entries.length - 1; i >= 0; i--) {
            @SuppressWarnings("unchecked")
            Map.Entry<String, Long> e = (Map.Entry<String, Long>) entries[i];
            seen.put(e.getKey(), e.getValue());
        }
        evict(now);
    }

    private void evict(long now) {
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> oldest = it.next();
            if (seen.size() <= maxEntries && now - oldest.getValue() <= windowMillis) {
                break;
            }
            it.remove();
        }
    }

    int size() {
        return seen.size();
    }

    private static Snapshot parent(Table table, Snapshot snapshot) {
        return snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
    }
}
