package dev.floe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PartitionLagTest {

    private static final TopicPartition A = new TopicPartition("events", 0);
    private static final TopicPartition B = new TopicPartition("events", 1);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final AtomicLong now = new AtomicLong(10_000);
    private final List<TopicPartition> registered = new ArrayList<>();
    private final Map<TopicPartition, Supplier<Number>> gauges = new HashMap<>();
    private final PartitionLag lag = new PartitionLag((tp, gauge) -> {
        registered.add(tp);
        gauges.put(tp, gauge);
    }, now::get);

    @BeforeEach
    void assign() {
        consumer.assign(List.of(A, B));
        consumer.updateEndOffsets(Map.of(A, 100L, B, 50L));
        // the consumer has read ahead of what the tables hold
        consumer.seek(A, 90);
        consumer.seek(B, 50);
    }

    @Test
    void theLagIsTheEndMinusWhatTheTablesHoldSafely() {
        lag.update(consumer, Set.of(A, B), tp -> tp.equals(A) ? 70 : 50);

        assertThat(lag.of(A)).isEqualTo(30);
        assertThat(lag.of(B)).isZero();
        assertThat(gauges.get(A).get().longValue()).isEqualTo(30);
    }

    @Test
    void theLagIsMeasuredAtMostOnceASecondAndItsGaugeRegisteredOnce() {
        lag.update(consumer, Set.of(A), tp -> 70);
        now.addAndGet(999);
        lag.update(consumer, Set.of(A), tp -> 90);
        assertThat(lag.of(A)).isEqualTo(30);

        now.addAndGet(1);
        lag.update(consumer, Set.of(A), tp -> 80);
        assertThat(gauges.get(A).get().longValue()).isEqualTo(20);
        assertThat(registered).containsExactly(A);
    }

    @Test
    void partitionsNoLongerAssignedAreNotMeasured() {
        consumer.assign(List.of(B));

        lag.update(consumer, Set.of(A, B), tp -> 0);

        assertThat(registered).containsExactly(B);
    }

    @Test
    void partitionsThatWentElsewhereReportNoLag() {
        lag.update(consumer, Set.of(A, B), tp -> 0);

        lag.retain(Set.of(B));

        assertThat(lag.of(A)).isZero();
        assertThat(gauges.get(A).get().longValue()).isZero();
        assertThat(lag.of(B)).isEqualTo(50);
    }
}
