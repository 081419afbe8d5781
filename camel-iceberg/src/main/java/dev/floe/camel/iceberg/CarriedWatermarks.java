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

    // summary key (floe.offsets.<source>, floe.topic-ids.<source>) → partition or topic → offset or topic id
    private final Map<String, Map<String, String>> marks;

    private CarriedWatermarks(Map<String, Map<String, String>> marks) {
        this.marks = marks;
    }

    /** The marks of the ancestry's head: for each key and partition, the newest value. */
    static CarriedWatermarks of(Iterable<Snapshot> ancestry) {
        Map<String, Map<String, String>> found = new TreeMap<>();
        for (Snapshot snapshot : ancestry) {
            snapshot.summary().forEach((key, value) -> {
                if (isCarried(key)) {
                    Map<String, String> entries = found.computeIfAbsent(key, k -> new TreeMap<>());
                    SourceOffsets.decodeEntries(value).forEach(entries::putIfAbsent);
                }
            });
            if (isComplete(snapshot)) {
                break;
            }
        }
        return new CarriedWatermarks(found);
    }

    private static boolean isCarried(String key) {
        return key.startsWith(SourceOffsets.SUMMARY_PREFIX) || key.startsWith(SourceOffsets.TOPIC_IDS_PREFIX);
    }

    static boolean isComplete(Snapshot snapshot) {
        return "true".equals(snapshot.summary().get(COMPLETE));
    }

    /** These marks with a batch's claims on top. */
    CarriedWatermarks with(SourceOffsets claims) {
        if (claims == null) {
            return this;
        }
        Map<String, Map<String, String>> next = new TreeMap<>();
        marks.forEach((key, entries) -> next.put(key, new TreeMap<>(entries)));
        Map<String, String> offsets = next.computeIfAbsent(claims.summaryKey(), k -> new TreeMap<>());
        claims.claimed().forEach((partition, offset) -> offsets.put(partition, String.valueOf(offset)));
        if (!claims.topicIds().isEmpty()) {
            next.computeIfAbsent(claims.topicIdsKey(), k -> new TreeMap<>()).putAll(claims.topicIds());
        }
        return new CarriedWatermarks(next);
    }

    void writeTo(SnapshotUpdate<?> update) {
        marks.forEach((key, entries) -> update.set(key, SourceOffsets.encodeEntries(entries)));
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
