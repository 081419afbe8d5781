package dev.floe.app.kafka;

import dev.floe.camel.iceberg.SourcedEvent;
import org.apache.kafka.common.TopicPartition;

/** A Kafka record's place, carried through the route in the exchange property {@link #PROPERTY}. */
public record SourcePosition(TopicPartition tp, long offset, byte[] key) {

    public static final String PROPERTY = "FloeKafkaPosition";

    public SourcedEvent.KafkaPosition toEventPosition() {
        return new SourcedEvent.KafkaPosition(tp.topic(), tp.partition(), offset, key);
    }
}
