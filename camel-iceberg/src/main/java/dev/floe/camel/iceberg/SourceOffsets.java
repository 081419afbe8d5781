package dev.floe.camel.iceberg;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The source positions a batch brings the table to, committed compare-and-set: the table is the source of truth for
 * how far a source (a Kafka consumer group, say) has been absorbed.
 * <p>
 * Each snapshot's summary holds, under {@code floe.offsets.<source>}, the positions the batch claimed for the
 * partitions it covers ({@code partition=offset,...}); a partition's watermark is its value in the newest ancestor that
 * names it. Only the claimed partitions are written, so replicas that own different partitions of one table never
 * overwrite each other's watermarks. The commit is validated against the table's ancestry (Iceberg's
 * {@code validateWith}) at the moment it swaps in: every partition's watermark must still be what the batch was built
 * on ({@code expected}), or the commit fails. That fences a replica that lost its partitions in a rebalance.
 *
 * @param source   names the position space, e.g. {@code kafka.<group>}; letters, digits and {@code ._-} only
 * @param expected per partition, the watermark the batch was built on; -1 when the table had none
 * @param claimed  per partition, the watermark the table has once the batch is in
 * @param topicIds per topic, an id that changes when the topic is deleted and created again (Kafka's topic id), stored
 *                 under {@code floe.topic-ids.<source>} so that a reader can tell a re-created topic from a truncated
 *                 partition; may be empty
 */
public record SourceOffsets(String source, Map<String, Long> expected, Map<String, Long> claimed,
        Map<String, String> topicIds) {

    /** The summary property prefix; the source follows. */
    public static final String SUMMARY_PREFIX = "floe.offsets.";
    /** The summary property prefix of the topic ids; the source follows. */
    public static final String TOPIC_IDS_PREFIX = "floe.topic-ids.";
    /** The watermark of a partition the table holds nothing of. */
    public static final long NONE = -1;

    public SourceOffsets {
        Objects.requireNonNull(source, "source");
        if (!source.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("invalid offsets source '" + source + "': letters, digits and ._- only");
        }
        expected = Map.copyOf(expected);
        claimed = Map.copyOf(claimed);
        topicIds = Map.copyOf(topicIds);
        claimed.keySet().forEach(SourceOffsets::checkPartition);
        topicIds.forEach((topic, id) -> {
            checkPartition(topic);
            checkPartition(id);
        });
        if (!expected.keySet().equals(claimed.keySet())) {
            throw new IllegalArgumentException("expected and claimed offsets must name the same partitions");
        }
    }

    public SourceOffsets(String source, Map<String, Long> expected, Map<String, Long> claimed) {
        this(source, expected, claimed, Map.of());
    }

    public String summaryKey() {
        return SUMMARY_PREFIX + source;
    }

    public String topicIdsKey() {
        return TOPIC_IDS_PREFIX + source;
    }

    /** The topic ids the table's newest snapshot that names them holds for this source (empty when none). */
    public static Map<String, String> readTopicIds(Table table, String source) {
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return Map.of();
        }
        for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
            String value = s.summary().get(TOPIC_IDS_PREFIX + source);
            if (value != null) {
                return decodeEntries(value);
            }
            if (CarriedWatermarks.isComplete(s)) {
                break;
            }
        }
        return Map.of();
    }

    /** The table's watermarks for these partitions (NONE where it has none). */
    public static Map<String, Long> read(Table table, String source, Set<String> partitions) {
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return watermarks(java.util.List.of(), SUMMARY_PREFIX + source, partitions);
        }
        return watermarks(SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot), SUMMARY_PREFIX + source,
                partitions);
    }

    /**
     * Walks the ancestry, newest first, until every partition is found or a snapshot that carries every mark (see
     * {@link CarriedWatermarks}) has been read.
     */
    static Map<String, Long> watermarks(Iterable<Snapshot> ancestry, String key, Set<String> partitions) {
        Map<String, Long> found = new TreeMap<>();
        for (Snapshot snapshot : ancestry) {
            if (found.size() == partitions.size()) {
                break;
            }
            String value = snapshot.summary().get(key);
            if (value != null) {
                decode(value).forEach((partition, offset) -> {
                    if (partitions.contains(partition)) {
                        found.putIfAbsent(partition, offset);
                    }
                });
            }
            if (CarriedWatermarks.isComplete(snapshot)) {
                break;
            }
        }
        partitions.forEach(p -> found.putIfAbsent(p, NONE));
        return found;
    }

    /** True when {@code next} was built on exactly what this batch claims, so both can go in one commit. */
    public boolean chainsTo(SourceOffsets next) {
        if (!source.equals(next.source)) {
            return false;
        }
        for (Map.Entry<String, Long> entry : next.expected.entrySet()) {
            Long before = claimed.get(entry.getKey());
            if (before != null && !before.equals(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** This batch followed by {@code next} (which must chain to it), as one. */
    public SourceOffsets then(SourceOffsets next) {
        if (!chainsTo(next)) {
            throw new IllegalArgumentException("offsets do not chain: " + this + " then " + next);
        }
        Map<String, Long> from = new LinkedHashMap<>(next.expected);
        from.putAll(expected);
        Map<String, Long> to = new LinkedHashMap<>(claimed);
        to.putAll(next.claimed);
        Map<String, String> ids = new LinkedHashMap<>(topicIds);
        ids.putAll(next.topicIds);
        return new SourceOffsets(source, from, to, ids);
    }

    static String encodeEntries(Map<String, String> entries) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(entries).forEach((partition, offset) -> {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(partition).append('=').append(offset);
        });
        return text.toString();
    }

    static Map<String, Long> decode(String text) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        decodeEntries(text).forEach((partition, offset) -> offsets.put(partition, Long.parseLong(offset)));
        return offsets;
    }

    static Map<String, String> decodeEntries(String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            int eq = entry.lastIndexOf('=');
            if (eq > 0) {
                entries.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return entries;
    }

    /** Fails the commit unless the table's watermarks are still the expected ones when it swaps in. */
    SnapshotAncestryValidator validator() {
        String key = summaryKey();
        return new SnapshotAncestryValidator() {

            private Map<String, Long> actual = Map.of();

            @Override
            public boolean validate(Iterable<Snapshot> ancestry) {
                actual = watermarks(ancestry, key, expected.keySet());
                return actual.equals(new TreeMap<>(expected));
            }

            @Override
            public String errorMessage() {
                return "the " + source + " offsets moved: the batch was built on " + new TreeMap<>(expected)
                        + " but the table holds " + actual + " (another writer took these partitions)";
            }
        };
    }

    private static void checkPartition(String partition) {
        if (partition.isEmpty() || partition.contains(",") || partition.contains("=")) {
            throw new IllegalArgumentException("invalid partition name '" + partition + "'");
        }
    }
}
