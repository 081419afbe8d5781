package dev.floe.app.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.component.kafka.consumer.CommitManager;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.kafka.common.TopicPartition;

/**
 * The replay rule: a record fetched before a seek of its partition never reaches a batch after it. Camel's Kafka
 * consumer, in batching mode, may hold records of one poll and hand them to the route with a later one, after Floe
 * has sought (rewound to the tables' watermarks, or cut a poll that did not fit the memory budget). Each record is
 * stamped with the number of the poll that fetched it; a seek makes every record of the partition stamped up to the
 * current poll stale, and {@link KafkaAdmission} drops stale records unread (the seek fetches them again).
 * <p>
 * Camel calls {@link #newInstance} once per record as it turns the poll into exchanges, on the polling thread, after
 * {@link KafkaProgress#afterConsume} counted the poll: it is the one hook camel-kafka offers per record. As a manual
 * commit factory that is not camel-kafka's own, it also makes camel-kafka leave the group's offsets alone: Floe
 * commits them after the tables ({@link OffsetCommits}). Used on the polling thread only.
 */
@Singleton
@Named("kafkaPollStamps")
public class PollStamps implements KafkaManualCommitFactory {

    /** What a record carries in the header {@code CamelKafkaManualCommit}: the poll that fetched it. */
    record FetchedIn(long poll) implements KafkaManualCommit {

        @Override
        public void commit() {
            throw new UnsupportedOperationException("Floe commits Kafka offsets after the tables hold the records");
        }
    }

    private long poll;
    // per partition, the first poll whose records are current: the one after its last seek
    private final Map<TopicPartition, Long> currentFrom = new HashMap<>();

    @Override
    public KafkaManualCommit newInstance(CamelExchangePayload exchange, KafkaRecordPayload record,
            CommitManager commitManager) {
        return new FetchedIn(poll);
    }

    /** A poll returned: the records Camel turns into exchanges from now on were fetched by it. */
    void polled() {
        poll++;
    }

    /** These partitions were sought: their records fetched until now are stale. */
    void sought(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            currentFrom.put(tp, poll + 1);
        }
    }

    /** Whether a record of {@code tp} stamped {@code fetched} was fetched after the partition's last seek. */
    boolean isCurrent(TopicPartition tp, KafkaManualCommit fetched) {
        return fetched instanceof FetchedIn in && in.poll() >= currentFrom.getOrDefault(tp, 0L);
    }
}
