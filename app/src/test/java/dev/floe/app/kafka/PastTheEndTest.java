package dev.floe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.floe.camel.iceberg.SourceOffsets;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PastTheEndTest {

    @Test
    void aWatermarkBelowTheEndIsKept() {
        assertThat(PastTheEnd.held(41, 100, "a", "b")).isEqualTo(41);
        assertThat(PastTheEnd.held(-1, 0, null, "b")).isEqualTo(-1);
    }

    @Test
    void aTruncatedPartitionOfTheSameTopicCarriesOnFromItsEnd() {
        assertThat(PastTheEnd.held(500, 120, "id-1", "id-1")).isEqualTo(119);
        assertThat(PastTheEnd.held(120, 120, "id-1", "id-1")).isEqualTo(119);
    }

    @Test
    void aTopicCreatedAgainIsReadFromItsStart() {
        assertThat(PastTheEnd.held(500, 120, "id-1", "id-2")).isEqualTo(-1);
    }

    @Test
    void withoutAStoredIdARecreationIsAssumed() {
        assertThat(PastTheEnd.held(500, 120, null, "id-2")).isEqualTo(-1);
    }

    @Test
    void onlyWatermarksAtOrPastTheEndAreSetAside() {
        TopicPartition recreated = new TopicPartition("orders", 0);
        TopicPartition truncated = new TopicPartition("events", 0);
        TopicPartition fine = new TopicPartition("events", 1);
        TopicPartition unknownEnd = new TopicPartition("events", 2);
        Map<String, Map<TopicPartition, Long>> actual = Map.of(
                "db.a", Map.of(recreated, 500L, truncated, 500L, fine, 41L, unknownEnd, 900L),
                "db.b", Map.of(recreated, 10L, truncated, SourceOffsets.NONE, fine, 100L, unknownEnd, 1L));
        Map<TopicPartition, Long> ends = Map.of(recreated, 120L, truncated, 120L, fine, 100L);
        Map<String, Map<String, String>> storedIds = Map.of("db.a", Map.of("orders", "old", "events", "e"));
        Map<String, String> currentIds = Map.of("orders", "new", "events", "e");

        Map<String, Map<TopicPartition, Long>> held = PastTheEnd.setAside(actual, ends, storedIds, currentIds);

        assertThat(held.get("db.a")).containsExactlyInAnyOrderEntriesOf(
                Map.of(recreated, SourceOffsets.NONE, truncated, 119L, fine, 41L, unknownEnd, 900L));
        // db.b stored no ids: its mark past the end of fine (100) is taken for a re-created topic
        assertThat(held.get("db.b")).containsExactlyInAnyOrderEntriesOf(
                Map.of(recreated, 10L, truncated, SourceOffsets.NONE, fine, SourceOffsets.NONE, unknownEnd, 1L));
        assertThat(actual.get("db.a")).containsEntry(recreated, 500L);
    }
}
