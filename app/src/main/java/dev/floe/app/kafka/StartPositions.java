package dev.floe.app.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where each assigned partition starts after a rewind: a pure decision from the tables' watermarks, the group's
 * committed offsets and auto.offset.reset, so that every rule has its own test; {@link KafkaProgress} seeks the consumer
 * there.
 */
final class StartPositions {

    /** auto.offset.reset: where a partition starts that neither the tables nor the group know. */
    enum Reset {

        EARLIEST, LATEST;

        static Reset of(String value) {
            return switch (value) {
                case "earliest" -> EARLIEST;
                case "latest" -> LATEST;
                default -> throw new IllegalArgumentException(
                        "floe.kafka.auto-offset-reset must be earliest or latest, not " + value);
            };
        }
    }

    /** Where one partition starts: at an offset, or at its beginning or end as the broker knows them. */
    record Start(Where where, long offset) {

        enum Where {
            OFFSET, BEGINNING, END
        }

        static final Start BEGINNING = new Start(Where.BEGINNING, -1);
        static final Start END = new Start(Where.END, -1);

        static Start at(long offset) {
            return new Start(Where.OFFSET, offset);
        }

        void seek(Consumer<?, ?> consumer, TopicPartition tp) {
            switch (where) {
                case OFFSET -> consumer.seek(tp, offset);
                case BEGINNING -> consumer.seekToBeginning(List.of(tp));
                case END -> consumer.seekToEnd(List.of(tp));
            }
        }
    }

    private StartPositions() {
    }

    /**
     * Starts each partition at the lowest watermark + 1 of the tables it feeds. A table without a watermark may still
     * miss anything from the group's committed offset on, so that counts too; with neither, auto.offset.reset decides:
     * earliest starts at the beginning, latest at the lowest known watermark + 1, or at the end if no table knows one.
     *
     * @param held      per table, its watermark of every assigned partition ({@code NONE} where it has none), past-the-end
     *                  marks already set aside (see {@link PastTheEnd})
     * @param committed the group's committed offsets of the assigned partitions: asked at most once, and only when some
     *                  table has no watermark (it is a round trip to the group coordinator)
     * @return per partition, in the order of {@code assigned}, where it starts
     */
    static Map<TopicPartition, Start> of(Set<TopicPartition> assigned, Map<String, Map<TopicPartition, Long>> held,
            Supplier<Map<TopicPartition, OffsetAndMetadata>> committed, Reset reset) {
        Map<TopicPartition, OffsetAndMetadata> group = null;
        Map<TopicPartition, Start> starts = new LinkedHashMap<>();
        for (TopicPartition tp : assigned) {
            long start = Long.MAX_VALUE;
            boolean someTableHasNone = false;
            for (Map<TopicPartition, Long> watermarks : held.values()) {
                long w = watermarks.get(tp);
                if (w < 0) {
                    someTableHasNone = true;
                } else {
                    start = Math.min(start, w + 1);
                }
            }
            boolean latest = reset == Reset.LATEST;
            if (someTableHasNone) {
                if (group == null) {
                    group = committed.get();
                }
                OffsetAndMetadata groupOffset = group.get(tp);
                if (groupOffset != null) {
                    start = Math.min(start, groupOffset.offset());
                } else if (!latest) {
                    start = -1;
                }
            }
            if (start == Long.MAX_VALUE && latest) {
                starts.put(tp, Start.END);
            } else if (start < 0 || start == Long.MAX_VALUE) {
                starts.put(tp, Start.BEGINNING);
            } else {
                starts.put(tp, Start.at(start));
            }
        }
        return starts;
    }
}
