package dev.floe.app.kafka;

import java.util.List;
import java.util.Map;

import dev.floe.app.batch.Reservation;
import io.cloudevents.CloudEvent;
import org.apache.kafka.common.TopicPartition;

/**
 * The events of one poll that go to one table, on their way to that table's batch: with their records' places, their
 * room in the memory budget, and what the batch may claim once they are in it ({@link Generation#claim}).
 *
 * @param absorbed per partition, the highest offset absorbed when the poll was handed to the batches
 */
public record KafkaTablePart(String table, String endpointUri, Generation generation, List<CloudEvent> events,
        List<SourcePosition> records, long bytes, Reservation room, Map<TopicPartition, Long> absorbed) {

    /** What the aggregator correlates on: a batch holds one table's records of one generation. */
    public String batchKey() {
        return table + "#" + generation.id;
    }
}
