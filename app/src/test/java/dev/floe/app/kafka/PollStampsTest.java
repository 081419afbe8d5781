package dev.floe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory.KafkaRecordPayload;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The replay rule: records fetched before a seek of their partition never reach a batch after it. Each case follows
 * the order in which camel-kafka's polling thread calls Floe in batching mode: poll (a rebalance seeks inside it), then
 * {@link KafkaProgress#afterConsume} (counts the poll; a rewind seeks there), then the records become exchanges, one
 * stamp each, while the route runs earlier records held over from a poll that did not fill a batch (a cut seeks there).
 */
class PollStampsTest {

    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);

    private final PollStamps stamps = new PollStamps();

    private KafkaManualCommit fetched(TopicPartition tp, long offset) {
        return stamps.newInstance(null, new KafkaRecordPayload(tp, offset, 0), null);
    }

    @Test
    void recordsHeldOverFromAPollBeforeARewindAreStale() {
        stamps.polled();
        KafkaManualCommit heldOver = fetched(P0, 10);
        // the next poll's afterConsume rewinds every partition to the tables' watermarks
        stamps.polled();
        stamps.sought(Set.of(P0, P1));
        // that poll is not handed on; the one after it fetches from the watermarks
        stamps.polled();
        KafkaManualCommit again = fetched(P0, 10);
        assertThat(stamps.isCurrent(P0, heldOver)).as("fetched before the rewind").isFalse();
        assertThat(stamps.isCurrent(P0, again)).as("fetched after it").isTrue();
    }

    @Test
    void aCutMakesStaleTheRecordsOfTheSoughtPartitionOnlyEvenThoseTurnedIntoExchangesAfterIt() {
        stamps.polled();
        // the route runs a batch held over from the last poll and cuts it: P0 goes back
        stamps.sought(List.of(P0));
        // then Camel turns this poll's records, fetched before the cut, into exchanges
        KafkaManualCommit p0 = fetched(P0, 20);
        KafkaManualCommit p1 = fetched(P1, 7);
        assertThat(stamps.isCurrent(P0, p0)).as("fetched before P0 was sought").isFalse();
        assertThat(stamps.isCurrent(P1, p1)).as("P1 was not sought: nothing fetches it again").isTrue();
        stamps.polled();
        assertThat(stamps.isCurrent(P0, fetched(P0, 18))).as("fetched after the cut").isTrue();
    }

    @Test
    void aRebalanceInsidePollSeeksBeforeThePollItReturnsIsCounted() {
        stamps.polled();
        KafkaManualCommit heldOver = fetched(P1, 3);
        // partitions assigned inside the next poll: the consumer starts them at the tables' watermarks
        stamps.sought(Set.of(P0, P1));
        stamps.polled();
        assertThat(stamps.isCurrent(P1, heldOver)).as("fetched before the assignment").isFalse();
        assertThat(stamps.isCurrent(P1, fetched(P1, 1))).as("returned by the poll that assigned it").isTrue();
    }

    @Test
    void aRecordWithoutAStampIsNeverCurrent() {
        stamps.polled();
        assertThat(stamps.isCurrent(P0, null)).isFalse();
    }
}
