package dev.floe.app.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.floe.camel.iceberg.SourceOffsets;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offsets to hand to the group's committed offsets: per partition, the lowest offset still waiting for a commit once
 * a batch that claimed the partition settled. They serve lag monitoring and the start of tables that hold no watermark
 * yet; the tables hold the truth, so a failed offset commit costs nothing but lag accuracy. Batches settle on commit
 * threads; the polling thread takes the offsets.
 */
final class OffsetCommits {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommits.class);

    private final Map<TopicPartition, Long> toCommit = new ConcurrentHashMap<>();

    /** A batch of {@code g} committed {@code claims}: the partitions it claimed may move on (under g's monitor). */
    void settled(Generation g, SourceOffsets claims) {
        for (TopicPartition tp : g.assigned) {
            if (claims.claimed().containsKey(Generation.name(tp))) {
                toCommit.put(tp, g.safeOffset(tp));
            }
        }
    }

    /** After a poll: hands what settled since the last poll to the group, without waiting. */
    void commitAsync(Consumer<?, ?> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = take(consumer.assignment());
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (done, e) -> {
                if (e != null) {
                    LOG.debug("Kafka offset commit failed (the tables hold the truth, lag only): {}", e.toString());
                }
            });
        }
    }

    /** Partitions are leaving: hands their newest safe offsets to the group before another consumer starts. */
    void commitRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = take(partitions);
        if (!offsets.isEmpty()) {
            try {
                consumer.commitSync(offsets);
            } catch (RuntimeException e) {
                LOG.debug("Could not commit offsets of revoked partitions: {}", e.toString());
            }
        }
    }

    /** A new generation starts: what the old one settled is not safe to hand on any more. */
    void clear() {
        toCommit.clear();
    }

    /** Removes and returns the offsets of these partitions that wait to be handed on. */
    Map<TopicPartition, OffsetAndMetadata> take(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long offset = toCommit.remove(tp);
            if (offset != null) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        }
        return offsets;
    }
}
