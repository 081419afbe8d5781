package dev.floe.camel.iceberg;

import java.util.Map;
import java.util.TreeMap;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;

/**
 * Every source's watermarks as a table holds them, carried forward into each new snapshot, whatever writes it (a Kafka
 * batch, an HTTP or AMQP batch, maintenance). So the newest snapshot always holds every mark: a commit without offsets
 * can't hide them, and expiring old snapshots can't lose them.
 * <p>
 * Tables written before marks were carried hold each partition's mark in the snapshot that last claimed it; reading
 * walks back until a snapshot flagged {@link #COMPLETE}, or to the first one.
 */
final class CarriedWatermarks {

    /** Summary flag: this snapshot holds every source's marks, nothing older needs reading. */
    static final String COMPLETE = "floe.offsets-complete";

    // summary key (floe.offsets.<source>) → partition → offset
    private final Map<String, Map<String, Long>> marks;

    private CarriedWatermarks(Map<String, Map<String, Long>> marks) {
        this.marks = marks;
    }

    /** The marks of the ancestry's head: for each key and partition, the newest value. */
    static CarriedWatermarks of(Iterable<Snapshot> ancestry) {
        Map<String, Map<String, Long>> found = new TreeMap<>();
        for (Snapshot snapshot : ancestry) {
            snapshot.summary().forEach((key, value) -> {
                if (key.startsWith(SourceOffsets.SUMMARY_PREFIX)) {
                    Map<String, Long> partitions = found.computeIfAbsent(key, k -> new TreeMap<>());
                    SourceOffsets.decode(value).forEach(partitions::putIfAbsent);
                }
            });
            if (isComplete(snapshot)) {
                break;
            }
        }
        return new CarriedWatermarks(found);
    }

    static boolean isComplete(Snapshot snapshot) {
        return "true".equals(snapshot.summary().get(COMPLETE));
    }

    /** These marks with a batch's claims on top. */
    CarriedWatermarks with(SourceOffsets claims) {
        if (claims == null) {
            return this;
        }
        Map<String, Map<String, Long>> next = new TreeMap<>();
        marks.forEach((key, partitions) -> next.put(key, new TreeMap<>(partitions)));
        next.computeIfAbsent(claims.summaryKey(), k -> new TreeMap<>()).putAll(claims.claimed());
        return new CarriedWatermarks(next);
    }

    void writeTo(SnapshotUpdate<?> update) {
        marks.forEach((key, partitions) -> update.set(key, SourceOffsets.encode(partitions)));
        update.set(COMPLETE, "true");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CarriedWatermarks carried && marks.equals(carried.marks);
    }

    @Override
    public int hashCode() {
        return marks.hashCode();
    }

    @Override
    public String toString() {
        return marks.toString();
    }
}
