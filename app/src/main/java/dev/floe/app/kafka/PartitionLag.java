package dev.floe.app.kafka;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Per partition, the records past what its tables hold: the log end offset minus the lowest offset not yet safely in
 * the tables (not minus the consumer's position, which runs ahead of the commits). Updated on the polling thread at
 * most once a second; read by the metrics registry.
 */
final class PartitionLag {

    private static final long EVERY_MS = 1000;

    private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    private final BiConsumer<TopicPartition, Supplier<Number>> register;
    private final LongSupplier clock;
    private long updatedAt;

    /**
     * @param register called once per partition with the gauge that reads its lag
     * @param clock    milliseconds
     */
    PartitionLag(BiConsumer<TopicPartition, Supplier<Number>> register, LongSupplier clock) {
        this.register = register;
        this.clock = clock;
    }

    /**
     * @param partitions the running generation's partitions (those still assigned are measured)
     * @param safeOffset per partition, the lowest offset not yet safely in the tables
     */
    void update(Consumer<?, ?> consumer, Set<TopicPartition> partitions, ToLongFunction<TopicPartition> safeOffset) {
        long now = clock.getAsLong();
        if (now - updatedAt < EVERY_MS) {
            return;
        }
        updatedAt = now;
        Set<TopicPartition> current = consumer.assignment();
        for (TopicPartition tp : partitions) {
            if (!current.contains(tp)) {
                continue;
            }
            var behindPosition = consumer.currentLag(tp);
            if (behindPosition.isEmpty()) {
                continue;
            }
            long end = consumer.position(tp) + behindPosition.getAsLong();
            if (lag.put(tp, Math.max(0, end - safeOffset.applyAsLong(tp))) == null) {
                register.accept(tp, () -> of(tp));
            }
        }
    }

    /** Partitions that went elsewhere: their lag is another consumer's to report. */
    void retain(Set<TopicPartition> assigned) {
        lag.keySet().retainAll(assigned);
    }

    long of(TopicPartition tp) {
        return lag.getOrDefault(tp, 0L);
    }
}
