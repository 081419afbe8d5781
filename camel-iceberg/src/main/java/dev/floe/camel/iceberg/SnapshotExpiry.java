package dev.floe.camel.iceberg;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Expires snapshots by age and by count (Iceberg's {@code ExpireSnapshots}; the files only they referenced are
 * deleted), then deletes metadata.json files that have dropped out of the metadata log. Everything runs on the caller's
 * thread: Iceberg's shared worker pool may already be shut down when the JVM is stopping.
 */
final class SnapshotExpiry {

    // 00012-<uuid>.metadata.json (catalogs), v12.metadata.json (Hadoop tables); .gz variants too
    private static final Pattern METADATA_VERSION = Pattern.compile("^v?(\\d+)[-.].*\\.metadata\\.json(\\.gz)?$");

    private final long maxAgeMs;
    private final int maxSnapshots;
    private final long minAgeMs;

    SnapshotExpiry(IcebergConfiguration conf) {
        if (conf.getMaxSnapshots() < 1) {
            throw new IllegalArgumentException("maxSnapshots must be at least 1, not " + conf.getMaxSnapshots());
        }
        this.maxAgeMs = conf.getMaxSnapshotAgeMs();
        this.maxSnapshots = conf.getMaxSnapshots();
        this.minAgeMs = conf.getMinSnapshotAgeMs();
    }

    /**
     * Snapshots older than the cutoff are expired: older than maxSnapshotAgeMs, or beyond the newest maxSnapshots,
     * but never younger than minSnapshotAgeMs.
     */
    static long cutoff(List<Long> timestampsNewestFirst, long now, long maxAgeMs, int maxSnapshots, long minAgeMs) {
        long cutoff = now - maxAgeMs;
        if (timestampsNewestFirst.size() > maxSnapshots) {
            cutoff = Math.max(cutoff, timestampsNewestFirst.get(maxSnapshots - 1));
        }
        return Math.min(cutoff, now - minAgeMs);
    }

    void run(Table table, Map<String, Object> body) {
        body.put("expiredSnapshots", 0L);
        body.put("deletedFiles", 0L);
        body.put("deletedMetadataFiles", 0L);
        long now = System.currentTimeMillis();
        List<Snapshot> snapshots = new ArrayList<>();
        table.snapshots().forEach(snapshots::add);
        snapshots.sort(Comparator.comparingLong(Snapshot::timestampMillis).reversed());
        Snapshot current = table.currentSnapshot();
        long cutoff = Math.min(
                cutoff(snapshots.stream().map(Snapshot::timestampMillis).toList(), now, maxAgeMs, maxSnapshots,
                        minAgeMs),
                keepMarksFrom(table, current));
        boolean anyExpirable = snapshots.stream().anyMatch(
                s -> s.timestampMillis() < cutoff && (current == null || s.snapshotId() != current.snapshotId()));
        if (anyExpirable) {
            Set<Long> before = new HashSet<>();
            snapshots.forEach(s -> before.add(s.snapshotId()));
            FileIO io = table.io();
            AtomicLong deleted = new AtomicLong();
            table.expireSnapshots()
                    .expireOlderThan(cutoff)
                    .retainLast(1)
                    .cleanExpiredFiles(true)
                    .planWith(BatchCommitter.ON_LANE_THREAD)
                    .executeDeleteWith(BatchCommitter.ON_LANE_THREAD)
                    .deleteWith(location -> {
                        io.deleteFile(location);
                        deleted.incrementAndGet();
                    })
                    .commit();
            table.refresh();
            table.snapshots().forEach(s -> before.remove(s.snapshotId()));
            body.put("expiredSnapshots", (long) before.size());
            body.put("deletedFiles", deleted.get());
        }
        long metadataFiles = deleteUnloggedMetadata(table, now);
        body.put("deletedMetadataFiles", metadataFiles);
        boolean changed = (long) body.get("expiredSnapshots") > 0 || metadataFiles > 0;
        body.put("outcome", changed ? TableMaintenance.DONE : TableMaintenance.NOTHING_TO_DO);
    }

    /**
     * Expiry must keep every snapshot from the head back to the newest one that holds all watermarks (flagged
     * {@link CarriedWatermarks#COMPLETE}): a table last written before marks were carried forward keeps each
     * partition's mark in the snapshot that last claimed it, and expiring those would move a Kafka position back.
     *
     * @return the newest timestamp expiry may cut at: that snapshot's, or no limit when the head holds every mark or
     *         the table holds none
     */
    static long keepMarksFrom(Table table, Snapshot head) {
        Snapshot holder = null;
        boolean marked = false;
        for (Snapshot s = head; s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            holder = s;
            if (CarriedWatermarks.isComplete(s)) {
                break;
            }
            marked |= s.summary().keySet().stream().anyMatch(k -> k.startsWith(SourceOffsets.SUMMARY_PREFIX));
        }
        if (holder == null || holder == head || !marked && !CarriedWatermarks.isComplete(holder)) {
            return Long.MAX_VALUE;
        }
        return holder.timestampMillis();
    }

    /**
     * Deletes metadata.json files in the metadata folder that are neither current nor in the metadata log: left by
     * tables written before write.metadata.delete-after-commit.enabled, or by commits that failed. Only versions below
     * the current one are touched: a higher one may be a concurrent commit that has not swapped in yet.
     */
    private long deleteUnloggedMetadata(Table table, long now) {
        if (!(table instanceof HasTableOperations ops) || !(table.io() instanceof SupportsPrefixOperations)) {
            return 0; // nothing to list with; the table's own delete-after-commit keeps the folder bounded
        }
        TableMetadata metadata = ops.operations().current();
        String currentLocation = metadata.metadataFileLocation();
        Long currentVersion = currentLocation == null ? null : version(currentLocation);
        if (currentVersion == null) {
            return 0;
        }
        Set<String> kept = new HashSet<>();
        kept.add(FileLocations.normalize(currentLocation));
        metadata.previousFiles().forEach(entry -> kept.add(FileLocations.normalize(entry.file())));
        String folder = currentLocation.substring(0, currentLocation.lastIndexOf('/') + 1);
        List<String> unlogged = new ArrayList<>();
        // only this folder's own files: a nested table's metadata folder is not this table's
        for (FileInfo file : FileLocations.directlyIn(FileLocations.listUnder(table.io(), folder, "expireSnapshots"),
                folder)) {
            Long version = version(file.location());
            if (version != null && version < currentVersion && now - file.createdAtMillis() >= minAgeMs
                    && !kept.contains(FileLocations.normalize(file.location()))) {
                unlogged.add(file.location());
            }
        }
        unlogged.forEach(table.io()::deleteFile);
        return unlogged.size();
    }

    private static Long version(String location) {
        Matcher m = METADATA_VERSION.matcher(location.substring(location.lastIndexOf('/') + 1));
        return m.matches() ? Long.parseLong(m.group(1)) : null;
    }
}
