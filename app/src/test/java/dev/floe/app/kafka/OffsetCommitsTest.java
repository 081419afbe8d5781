package dev.floe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.floe.camel.iceberg.SourceOffsets;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OffsetCommitsTest {

    private static final TopicPartition A = new TopicPartition("events", 0);
    private static final TopicPartition B = new TopicPartition("events", 1);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final OffsetCommits commits = new OffsetCommits();
    // the table holds A up to 9 and B up to 19
    private final Map<String, Map<TopicPartition, Long>> marks = Map.of("db.a", Map.of(A, 9L, B, 19L));
    private final Generation generation = new Generation(1, Set.of(A, B), marks, marks, Map.of(A, 9L, B, 19L),
            Map.of());

    @BeforeEach
    void assign() {
        consumer.assign(List.of(A, B));
    }

    private static SourcePosition at(TopicPartition tp, long offset) {
        return new SourcePosition(tp, offset, null);
    }

    private void add(SourcePosition... records) {
        for (SourcePosition at : records) {
            generation.added(at);
        }
    }

    /** One batch of these records closes and commits to the table. */
    private void commitBatch(SourcePosition... records) {
        SourceOffsets claims = generation.claim("kafka.floe", "db.a");
        generation.settled(List.of(records));
        commits.settled(generation, claims);
    }

    @Test
    void aSettledBatchHandsTheNextOffsetToTheGroup() {
        add(at(A, 10), at(A, 11));
        commitBatch(at(A, 10), at(A, 11));

        commits.commitAsync(consumer);

        assertThat(consumer.committed(Set.of(A, B))).containsExactly(Map.entry(A, new OffsetAndMetadata(12)));
    }

    @Test
    void recordsOfALaterBatchStillWaitingHoldTheOffsetBack() {
        add(at(A, 10), at(A, 11));
        SourceOffsets first = generation.claim("kafka.floe", "db.a");
        add(at(A, 12), at(A, 13));
        generation.settled(List.of(at(A, 10), at(A, 11)));
        commits.settled(generation, first);

        commits.commitAsync(consumer);

        assertThat(consumer.committed(Set.of(A, B))).containsExactly(Map.entry(A, new OffsetAndMetadata(12)));
    }

    @Test
    void aPartitionTheBatchDidNotClaimIsNotCommitted() {
        add(at(A, 10));
        commitBatch(at(A, 10));

        assertThat(commits.take(List.of(A, B))).containsOnlyKeys(A);
    }

    @Test
    void offsetsAreHandedOnOnce() {
        add(at(A, 10));
        commitBatch(at(A, 10));

        assertThat(commits.take(List.of(A))).containsExactly(Map.entry(A, new OffsetAndMetadata(11)));
        assertThat(commits.take(List.of(A))).isEmpty();
    }

    @Test
    void onlyTheAssignedPartitionsAreCommittedAfterAPoll() {
        add(at(A, 10), at(B, 20));
        commitBatch(at(A, 10), at(B, 20));
        consumer.assign(List.of(B));

        commits.commitAsync(consumer);

        assertThat(consumer.committed(Set.of(A, B))).containsExactly(Map.entry(B, new OffsetAndMetadata(21)));
        assertThat(commits.take(List.of(A))).containsExactly(Map.entry(A, new OffsetAndMetadata(11)));
    }

    @Test
    void revokedPartitionsAreCommittedAtOnceAndTheOthersWait() {
        add(at(A, 10), at(B, 20));
        commitBatch(at(A, 10), at(B, 20));

        commits.commitRevoked(consumer, List.of(B));

        assertThat(consumer.committed(Set.of(A, B))).containsExactly(Map.entry(B, new OffsetAndMetadata(21)));
        assertThat(commits.take(List.of(A, B))).containsOnlyKeys(A);
    }

    @Test
    void aFailedCommitOfRevokedPartitionsIsNotAnError() {
        MockConsumer<byte[], byte[]> failing = new MockConsumer<>("earliest") {

            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                throw new KafkaException("the group coordinator is gone");
            }
        };
        add(at(A, 10));
        commitBatch(at(A, 10));

        commits.commitRevoked(failing, List.of(A));

        // the tables hold the truth: the offsets are not kept for a consumer that no longer owns the partition
        assertThat(commits.take(List.of(A))).isEmpty();
    }

    @Test
    void aNewGenerationDropsWhatTheOldOneSettled() {
        add(at(A, 10));
        commitBatch(at(A, 10));

        commits.clear();
        commits.commitAsync(consumer);

        assertThat(consumer.committed(Set.of(A, B))).isEmpty();
    }
}
