package dev.floe.app.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.floe.camel.iceberg.SourceOffsets;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the consumer between rewinds: per table and partition, the watermark the next batch builds on, and per
 * partition the highest offset the route has absorbed (written into a batch, routed to another table, already held, or
 * dead-lettered) and the offsets still waiting for a commit. Not thread-safe: guarded by the {@link KafkaProgress}
 * monitor.
 */
final class Generation {

    private static final Logger LOG = LoggerFactory.getLogger(Generation.class);

    final int id;
    final Set<TopicPartition> assigned;
    /** Per table and partition: the watermark the table had when this generation started (what it skips). */
    private final Map<String, Map<TopicPartition, Long>> held;
    /** Per table and partition: the table's watermark as stored, the base of its first commit. */
    private final Map<String, Map<TopicPartition, Long>> actual;
    /** Set once a batch failed or a newer generation started: its offsets are not handed to Kafka any more. */
    boolean failed;
    /** Per table and partition: what the table's next batch builds on (its previous batch's claim). */
    private final Map<String, Map<TopicPartition, Long>> expected = new HashMap<>();
    /** Per partition: the highest offset absorbed. */
    private final Map<TopicPartition, Long> lastSeen;
    /** Per partition: offsets in batches not committed yet. */
    private final Map<TopicPartition, TreeSet<Long>> pending = new HashMap<>();
    /** Per assigned topic, its id when this generation started: stored with every claim. */
    private final Map<String, String> topicIds;

    Generation(int id, Set<TopicPartition> assigned, Map<String, Map<TopicPartition, Long>> held,
            Map<String, Map<TopicPartition, Long>> actual, Map<TopicPartition, Long> lastSeen,
            Map<String, String> topicIds) {
        this.id = id;
        this.topicIds = Map.copyOf(topicIds);
        this.assigned = assigned;
        this.held = held;
        this.actual = actual;
        this.lastSeen = new HashMap<>(lastSeen);
    }

    /** Before the first assignment: no partitions, nothing held. */
    static Generation none() {
        return new Generation(0, Set.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }

    /** The watermark {@code table} had of {@code tp} when this generation started: it holds every offset up to it. */
    long held(String table, TopicPartition tp) {
        Map<TopicPartition, Long> watermarks = held.get(table);
        Long w = watermarks == null ? null : watermarks.get(tp);
        return w == null ? SourceOffsets.NONE : w;
    }

    /** A record was absorbed without joining a batch (already held, or dead-lettered). */
    void seen(TopicPartition tp, long offset) {
        lastSeen.merge(tp, offset, Math::max);
    }

    /** A record joined a batch: absorbed, and waiting for its commit. */
    void added(SourcePosition at) {
        seen(at.tp(), at.offset());
        pending.computeIfAbsent(at.tp(), tp -> new TreeSet<>()).add(at.offset());
    }

    /** Per partition, the highest offset absorbed: what a batch handed its records now may claim when it closes. */
    Map<TopicPartition, Long> absorbedSoFar() {
        return Map.copyOf(lastSeen);
    }

    /** A batch of {@code table} closes: it claims everything absorbed so far, on top of its table's last claim. */
    SourceOffsets claim(String source, String table) {
        return claim(source, table, lastSeen);
    }

    /**
     * A batch of {@code table} closes: it claims what was absorbed when its last records were handed to it
     * ({@link #absorbedSoFar}), on top of its table's last claim. Records of the same poll handed to other batches later
     * count as absorbed by this table; records of later polls do not.
     */
    SourceOffsets claim(String source, String table, Map<TopicPartition, Long> absorbed) {
        Map<String, Long> expectedOffsets = new TreeMap<>();
        Map<String, Long> claimed = new TreeMap<>();
        Map<TopicPartition, Long> base = expected.computeIfAbsent(table,
                t -> new HashMap<>(actual.getOrDefault(t, Map.of())));
        for (TopicPartition tp : assigned) {
            long from = base.getOrDefault(tp, SourceOffsets.NONE);
            Long to = absorbed.get(tp);
            if (to == null) {
                continue;
            }
            // a watermark set aside (past the end of a topic created again) is moved back by the first claim
            boolean setAside = from != held(table, tp) && to < from;
            if (to > from || setAside) {
                expectedOffsets.put(name(tp), from);
                claimed.put(name(tp), to);
                base.put(tp, to);
            }
        }
        LOG.debug("A batch of {} (generation {}) claims {} on top of {}", table, id, claimed, expectedOffsets);
        return new SourceOffsets(source, expectedOffsets, claimed, topicIds);
    }

    /** A batch settled, committed or not: its records no longer wait. */
    void settled(List<SourcePosition> records) {
        for (SourcePosition at : records) {
            TreeSet<Long> waiting = pending.get(at.tp());
            if (waiting != null) {
                waiting.remove(at.offset());
            }
        }
    }

    /** The lowest offset not yet safely in the tables: where a restart without watermarks must begin. */
    long safeOffset(TopicPartition tp) {
        TreeSet<Long> waiting = pending.get(tp);
        if (waiting != null && !waiting.isEmpty()) {
            return waiting.first();
        }
        Long seen = lastSeen.get(tp);
        return seen == null ? 0 : seen + 1;
    }

    /** A partition's name in the tables' watermarks. */
    static String name(TopicPartition tp) {
        return tp.topic() + "/" + tp.partition();
    }
}
