package dev.floe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.floe.camel.iceberg.SourceOffsets;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GenerationTest {

    private static final String SOURCE = "kafka.floe";
    private static final TopicPartition TP = new TopicPartition("events", 0);
    private static final String P = "events/0";

    /** A generation over one partition; {@code held} and {@code actual} per table, {@code start} the offset before. */
    private static Generation generation(Map<String, Long> held, Map<String, Long> actual, long start) {
        return new Generation(1, Set.of(TP), perPartition(held), perPartition(actual), Map.of(TP, start),
                Map.of("events", "id-1"));
    }

    private static Map<String, Map<TopicPartition, Long>> perPartition(Map<String, Long> marks) {
        Map<String, Map<TopicPartition, Long>> result = new HashMap<>();
        marks.forEach((table, mark) -> result.put(table, Map.of(TP, mark)));
        return result;
    }

    /** db.a holds the partition up to {@code mark}, and the generation starts after it. */
    private static Generation fromMark(long mark) {
        return generation(Map.of("db.a", mark), Map.of("db.a", mark), mark);
    }

    private static void assertClaim(SourceOffsets claim, long onTopOf, long upTo) {
        assertThat(claim.expected()).containsExactly(Map.entry(P, onTopOf));
        assertThat(claim.claimed()).containsExactly(Map.entry(P, upTo));
    }

    private static void add(Generation g, long... offsets) {
        for (long offset : offsets) {
            g.added(new SourcePosition(TP, offset, null));
        }
    }

    @Test
    void aClaimBuildsOnTheTablesWatermark() {
        Generation g = fromMark(41);
        add(g, 42, 43);

        SourceOffsets claim = g.claim(SOURCE, "db.a");

        assertThat(claim.source()).isEqualTo(SOURCE);
        assertClaim(claim, 41L, 43L);
        assertThat(claim.topicIds()).containsExactly(Map.entry("events", "id-1"));
    }

    @Test
    void aBatchClaimsWhatWasAbsorbedWhenItsLastPartJoinedNotWhatLaterPollsBrought() {
        Generation g = fromMark(41);
        // one poll: 42 and 44 for db.a, 43 for another table
        add(g, 42, 43, 44);
        Map<TopicPartition, Long> firstPoll = g.absorbedSoFar();
        // the next poll is absorbed; its part for db.a has not joined the batch when the batch closes
        add(g, 45, 46);

        assertClaim(g.claim(SOURCE, "db.a", firstPoll), 41L, 44L);
        assertClaim(g.claim(SOURCE, "db.a", g.absorbedSoFar()), 44L, 46L);
    }

    @Test
    void aTableWithoutWatermarkClaimsOnTopOfNone() {
        Generation g = generation(Map.of(), Map.of(), -1);
        add(g, 0, 1);

        SourceOffsets claim = g.claim(SOURCE, "db.new");

        assertClaim(claim, SourceOffsets.NONE, 1L);
    }

    @Test
    void aSecondClaimBuildsOnTheFirst() {
        Generation g = fromMark(41);
        add(g, 42, 43);
        g.claim(SOURCE, "db.a");
        add(g, 44);

        SourceOffsets second = g.claim(SOURCE, "db.a");

        assertClaim(second, 43L, 44L);
    }

    @Test
    void nothingAbsorbedSinceTheLastClaimClaimsNothing() {
        Generation g = fromMark(41);

        assertThat(g.claim(SOURCE, "db.a").claimed()).isEmpty();
        add(g, 42);
        g.claim(SOURCE, "db.a");
        assertThat(g.claim(SOURCE, "db.a").claimed()).isEmpty();
    }

    @Test
    void eachTableBuildsOnItsOwnClaims() {
        Generation g = generation(Map.of("db.a", 41L, "db.b", 10L), Map.of("db.a", 41L, "db.b", 10L), 10);
        // offsets 11..41 are held by db.a already: the route absorbs them without batching them for db.a
        g.seen(TP, 41);
        add(g, 42);

        assertThat(g.claim(SOURCE, "db.a").expected()).containsExactly(Map.entry(P, 41L));
        SourceOffsets b = g.claim(SOURCE, "db.b");
        assertClaim(b, 10L, 42L);
    }

    @Test
    void aWatermarkSetAsideForATopicCreatedAgainIsMovedBack() {
        // stored 500, but the topic starts over: read from its start
        Generation g = generation(Map.of("db.a", -1L), Map.of("db.a", 500L), -1);
        add(g, 0, 1, 2);

        SourceOffsets claim = g.claim(SOURCE, "db.a");

        assertClaim(claim, 500L, 2L);
        add(g, 3);
        assertThat(g.claim(SOURCE, "db.a").expected()).containsExactly(Map.entry(P, 2L));
    }

    @Test
    void aWatermarkSetAsideForATruncatedPartitionIsMovedBackEvenWithNothingNew() {
        // stored 500, the partition now ends at 120: the table holds everything up to 119
        Generation g = generation(Map.of("db.a", 119L), Map.of("db.a", 500L), 119);

        SourceOffsets claim = g.claim(SOURCE, "db.a");

        assertClaim(claim, 500L, 119L);
    }

    @Test
    void heldIsNoneForATableOrPartitionItDoesNotKnow() {
        Generation g = fromMark(41);

        assertThat(g.held("db.a", TP)).isEqualTo(41);
        assertThat(g.held("db.other", TP)).isEqualTo(SourceOffsets.NONE);
        assertThat(g.held("db.a", new TopicPartition("events", 9))).isEqualTo(SourceOffsets.NONE);
    }

    @Test
    void theSafeOffsetIsTheLowestOffsetStillWaiting() {
        Generation g = fromMark(41);
        assertThat(g.safeOffset(TP)).isEqualTo(42);

        add(g, 42, 43);
        g.claim(SOURCE, "db.a");
        add(g, 44);
        assertThat(g.safeOffset(TP)).isEqualTo(42);

        g.settled(List.of(new SourcePosition(TP, 42, null), new SourcePosition(TP, 43, null)));
        assertThat(g.safeOffset(TP)).isEqualTo(44);

        g.settled(List.of(new SourcePosition(TP, 44, null)));
        assertThat(g.safeOffset(TP)).isEqualTo(45);
    }

    @Test
    void recordsAbsorbedWithoutABatchMoveTheSafeOffset() {
        Generation g = fromMark(41);

        g.seen(TP, 50);
        assertThat(g.safeOffset(TP)).isEqualTo(51);
        // an older record seen late does not move it back
        g.seen(TP, 45);
        assertThat(g.safeOffset(TP)).isEqualTo(51);
    }

    @Test
    void aPartitionNeverSeenIsSafeFromZero() {
        Generation none = Generation.none();

        assertThat(none.safeOffset(TP)).isZero();
        assertThat(none.assigned).isEmpty();
    }
}
