package dev.floe.camel.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cloudevents.CloudEvent;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/**
 * The (source, id) of the events a table took within a recent window, so a redelivered event (an HTTP client retrying
 * after a lost response, an AMQP redelivery, a Knative retry to another replica) is not written twice.
 * <p>
 * One window per table per process, shared by every route and endpoint that writes the table (see
 * {@link IcebergComponent}), and fed by the table itself: before each commit, {@link #catchUp} reads the source and id
 * columns (a projection, nothing else) of the data files of every snapshot since the last one it saw that this
 * process did not write: another replica's commits, and a commit of ours whose outcome was unknown. At start, and
 * whenever expiry has removed the last snapshot it saw, it reads the rows whose ingest time is within the window
 * instead, so it needs no snapshot history. So it survives a restart, snapshot expiry and compaction, and spans
 * replicas, within the time one commit takes. Bounded in age, in entries and in bytes.
 */
final class RecentEvents {

    // a map entry, its two strings' headers and the commit time, beyond the key's characters
    private static final int ENTRY_OVERHEAD_BYTES = 96;
    private static final int OWN_SNAPSHOTS_KEPT = 1024;

    private final long windowMillis;
    private final long maxBytes;
    // key → commit time, oldest first
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();
    private final Set<Long> ownSnapshots = new LinkedHashSet<>();
    private long bytes;
    private Long lastSeenSnapshot;

    RecentEvents(long windowSeconds, long maxBytes) {
        this.windowMillis = windowSeconds * 1000;
        this.maxBytes = maxBytes;
    }

    static String key(CloudEvent event) {
        return event.getSource() + "\u0000" + event.getId();
    }

    /** Whether the window holds this {@link #key}: the caller has it already, and building it again is not free. */
    synchronized boolean contains(String key) {
        return seen.containsKey(key);
    }

    /** This process committed these keys in {@code snapshotId}: no need to read them back. */
    synchronized void committed(long snapshotId, Collection<String> keys) {
        // one boxed time shared by the commit's keys, not one per key for as long as the window holds them
        Long now = System.currentTimeMillis();
        keys.forEach(key -> put(key, now));
        ownSnapshots.add(snapshotId);
        if (ownSnapshots.size() > OWN_SNAPSHOTS_KEPT) {
            Iterator<Long> oldest = ownSnapshots.iterator();
            oldest.next();
            oldest.remove();
        }
        evict(now);
    }

    /**
     * Reads the keys of the snapshots since the last one seen that this process did not write, newest first, stopping
     * at the window's age. On first use, or when the last one seen has been expired, the snapshots no longer tell
     * what came in: the window is read from the rows' ingest time instead.
     */
    synchronized void catchUp(Table table) {
        Snapshot head = table.currentSnapshot();
        if (head == null || (lastSeenSnapshot != null && head.snapshotId() == lastSeenSnapshot)) {
            return;
        }
        long now = System.currentTimeMillis();
        if (lastSeenSnapshot == null || table.snapshot(lastSeenSnapshot) == null) {
            reload(table, now);
            lastSeenSnapshot = head.snapshotId();
            return;
        }
        List<Snapshot> unseen = new ArrayList<>();
        for (Snapshot s = head; s != null && now - s.timestampMillis() <= windowMillis; s = parent(table, s)) {
            if (s.snapshotId() == lastSeenSnapshot) {
                break;
            }
            // a compaction or manifest rewrite (replace) moves rows, it brings no new events
            if (!ownSnapshots.contains(s.snapshotId()) && !DataOperations.REPLACE.equals(s.operation())) {
                unseen.add(s);
            }
        }
        // oldest first, so the map stays in commit order
        for (int i = unseen.size() - 1; i >= 0; i--) {
            Long committedAt = unseen.get(i).timestampMillis();
            readKeys(table, unseen.get(i)).forEach(key -> put(key, committedAt));
        }
        lastSeenSnapshot = head.snapshotId();
        evict(now);
    }

    /**
     * Fills the window afresh from the rows whose ingest time lies within it: a filtered scan, so the column metrics
     * of older data files keep them unread. Independent of snapshot history, which expiry and compaction cut short.
     */
    private void reload(Table table, long now) {
        Schema schema = table.schema();
        seen.clear();
        bytes = 0;
        if (schema.findField(EventTableLayout.INGEST_TIME) == null || schema.findField(EventTableLayout.SOURCE) == null
                || schema.findField(EventTableLayout.ID) == null) {
            return; // not an event table: nothing to deduplicate against
        }
        long fromMicros = (now - windowMillis) * 1000;
        List<Map.Entry<String, Long>> found = new ArrayList<>();
        Schema keys = schema.select(EventTableLayout.SOURCE, EventTableLayout.ID, EventTableLayout.INGEST_TIME);
        // planned and read on this thread: at SIGTERM, Iceberg's worker pools are already shut (LiveRows)
        try (CloseableIterable<FileScanTask> tasks = LiveRows.scan(table)
                .filter(Expressions.greaterThanOrEqual(EventTableLayout.INGEST_TIME, fromMicros)).planFiles()) {
            for (FileScanTask task : tasks) {
                try (CloseableIterable<Record> rows = LiveRows.read(table, task, keys)) {
                    for (Record row : rows) {
                        Object ingested = row.getField(EventTableLayout.INGEST_TIME);
                        long millis = ingested instanceof OffsetDateTime time ? time.toInstant().toEpochMilli() : now;
                        if (now - millis <= windowMillis) {
                            found.add(Map.entry(row.getField(EventTableLayout.SOURCE) + "\u0000"
                                    + row.getField(EventTableLayout.ID), millis));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // oldest first, so eviction by age can stop at the first entry within the window
        found.sort(Map.Entry.comparingByValue());
        found.forEach(entry -> put(entry.getKey(), entry.getValue()));
        evict(now);
    }

    private static List<String> readKeys(Table table, Snapshot snapshot) {
        Schema keys = table.schema().select(EventTableLayout.SOURCE, EventTableLayout.ID);
        List<String> found = new ArrayList<>();
        for (DataFile file : snapshot.addedDataFiles(table.io())) {
            if (file.format() != FileFormat.PARQUET) {
                continue;
            }
            try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(file.location()))
                    .project(keys)
                    .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(keys, fileSchema))
                    .build()) {
                for (Record row : rows) {
                    found.add(row.getField(EventTableLayout.SOURCE) + "\u0000" + row.getField(EventTableLayout.ID));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private void put(String key, Long committedAtMillis) {
        Long previous = seen.remove(key);
        if (previous == null) {
            bytes += entryBytes(key);
        }
        seen.put(key, committedAtMillis);
    }

    private void evict(long now) {
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> oldest = it.next();
            if (bytes <= maxBytes && now - oldest.getValue() <= windowMillis) {
                break;
            }
            bytes -= entryBytes(oldest.getKey());
            it.remove();
        }
    }

    private static long entryBytes(String key) {
        return ENTRY_OVERHEAD_BYTES + 2L * key.length();
    }

    synchronized int size() {
        return seen.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    private static Snapshot parent(Table table, Snapshot snapshot) {
        return snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
    }
}
