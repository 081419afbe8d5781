package dev.floe.app.kafka;

import static dev.floe.app.kafka.StartPositions.Reset.EARLIEST;
import static dev.floe.app.kafka.StartPositions.Reset.LATEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.floe.app.kafka.StartPositions.Reset;
import dev.floe.app.kafka.StartPositions.Start;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StartPositionsTest {

    private static final TopicPartition TP = new TopicPartition("events", 0);
    private static final long NONE = -1;

    /**
     * One partition: each table's watermark (after the past-the-end handling), the group's committed offset (null:
     * none), auto.offset.reset, and where the partition starts.
     */
    record Row(String rule, List<Long> marks, Long group, Reset reset, Start expected) {

        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("one table's mark, earliest", List.of(41L), null, EARLIEST, Start.at(42)),
                new Row("one table's mark, latest", List.of(41L), null, LATEST, Start.at(42)),
                new Row("a mark of 0 starts at 1", List.of(0L), null, EARLIEST, Start.at(1)),
                new Row("the lowest of several tables' marks", List.of(41L, 9L, 70L), null, EARLIEST, Start.at(10)),
                new Row("the lowest of several tables' marks, latest", List.of(9L, 41L), null, LATEST, Start.at(10)),
                new Row("every table has a mark: the group is not asked", List.of(41L), 5L, EARLIEST, Start.at(42)),
                new Row("no mark, group committed, earliest", List.of(NONE), 30L, EARLIEST, Start.at(30)),
                new Row("no mark, group committed, latest", List.of(NONE), 30L, LATEST, Start.at(30)),
                new Row("no mark, group committed 0", List.of(NONE), 0L, LATEST, Start.at(0)),
                new Row("no mark, nothing committed, earliest", List.of(NONE), null, EARLIEST, Start.BEGINNING),
                new Row("no mark, nothing committed, latest", List.of(NONE), null, LATEST, Start.END),
                new Row("no table has a mark, group committed", List.of(NONE, NONE), 7L, LATEST, Start.at(7)),
                new Row("a mark and a table without: the group is lower", List.of(41L, NONE), 30L, EARLIEST,
                        Start.at(30)),
                new Row("a mark and a table without: the mark is lower", List.of(41L, NONE), 50L, EARLIEST,
                        Start.at(42)),
                new Row("a mark and a table without, nothing committed, earliest", List.of(41L, NONE), null, EARLIEST,
                        Start.BEGINNING),
                new Row("a mark and a table without, nothing committed, latest", List.of(41L, NONE), null, LATEST,
                        Start.at(42)),
                new Row("no table at all, earliest", List.of(), 30L, EARLIEST, Start.BEGINNING),
                new Row("no table at all, latest", List.of(), 30L, LATEST, Start.END));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void startsWhereTheRulesSay(Row row) {
        Map<String, Map<TopicPartition, Long>> held = new TreeMap<>();
        for (int i = 0; i < row.marks().size(); i++) {
            held.put("db.table" + i, Map.of(TP, row.marks().get(i)));
        }
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        if (row.group() != null) {
            committed.put(TP, new OffsetAndMetadata(row.group()));
        }
        AtomicInteger asked = new AtomicInteger();

        Map<TopicPartition, Start> starts = StartPositions.of(Set.of(TP), held, () -> {
            asked.incrementAndGet();
            return committed;
        }, row.reset());

        assertThat(starts).containsExactly(Map.entry(TP, row.expected()));
        // a round trip to the group coordinator, only when some table has no watermark
        assertThat(asked.get()).isEqualTo(row.marks().contains(NONE) ? 1 : 0);
    }

    @Test
    void theGroupIsAskedOnceForAllPartitionsThatNeedIt() {
        TopicPartition a = new TopicPartition("events", 0);
        TopicPartition b = new TopicPartition("events", 1);
        TopicPartition c = new TopicPartition("events", 2);
        Set<TopicPartition> assigned = new LinkedHashSet<>(List.of(a, b, c));
        Map<TopicPartition, Long> marks = new HashMap<>(Map.of(a, 5L, b, NONE, c, NONE));
        AtomicInteger asked = new AtomicInteger();

        Map<TopicPartition, Start> starts = StartPositions.of(assigned, Map.of("db.t", marks), () -> {
            asked.incrementAndGet();
            // a partition the group never committed is absent (or null, depending on the client)
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
            committed.put(b, new OffsetAndMetadata(3));
            committed.put(c, null);
            return committed;
        }, LATEST);

        assertThat(asked.get()).isEqualTo(1);
        assertThat(starts).containsExactly(Map.entry(a, Start.at(6)), Map.entry(b, Start.at(3)),
                Map.entry(c, Start.END));
    }

    @Test
    void eachStartSeeksTheConsumer() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(TP));
        consumer.updateBeginningOffsets(Map.of(TP, 10L));
        consumer.updateEndOffsets(Map.of(TP, 90L));

        Start.at(42).seek(consumer, TP);
        assertThat(consumer.position(TP)).isEqualTo(42);
        Start.END.seek(consumer, TP);
        assertThat(consumer.position(TP)).isEqualTo(90);
        Start.BEGINNING.seek(consumer, TP);
        assertThat(consumer.position(TP)).isEqualTo(10);
    }

    @Test
    void autoOffsetResetIsEarliestOrLatest() {
        assertThat(Reset.of("earliest")).isEqualTo(EARLIEST);
        assertThat(Reset.of("latest")).isEqualTo(LATEST);
        assertThatThrownBy(() -> Reset.of("none")).hasMessageContaining("earliest or latest, not none");
    }
}
