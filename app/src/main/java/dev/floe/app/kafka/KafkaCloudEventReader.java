package dev.floe.app.kafka;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.floe.app.FloeConfig;
import dev.floe.app.FloeMetrics;
import dev.floe.app.batch.EventBatchAggregation;
import dev.floe.camel.iceberg.SourcedEvent;
import dev.floe.camel.iceberg.cloudevents.BinaryModeReader;
import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import dev.floe.camel.iceberg.cloudevents.CloudEventMessages;
import io.cloudevents.CloudEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one Kafka record as a CloudEvent, by the CloudEvents Kafka protocol binding: binary mode ({@code ce_} headers,
 * {@code content-type} as datacontenttype, the value as data) or structured mode ({@code content-type:
 * application/cloudevents+json}). The body becomes a List of that one event, which carries the record's topic,
 * partition, offset and key into the row. The original value stays in {@link #VALUE} for a dead letter.
 */
@ApplicationScoped
@Named("kafkaCloudEventReader")
public class KafkaCloudEventReader implements Processor {

    /** Exchange property: the record's value as received. */
    public static final String VALUE = "FloeKafkaValue";

    @Inject
    FloeConfig config;
    @Inject
    FloeMetrics metrics;
    @Inject
    CloudEventLimits limits = CloudEventLimits.DEFAULTS;

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getIn();
        SourcePosition at = new SourcePosition(
                new TopicPartition(in.getHeader(KafkaConstants.TOPIC, String.class),
                        in.getHeader(KafkaConstants.PARTITION, Integer.class)),
                in.getHeader(KafkaConstants.OFFSET, Long.class), in.getHeader(KafkaConstants.KEY, byte[].class));
        exchange.setProperty(SourcePosition.PROPERTY, at);
        byte[] value = in.getBody(byte[].class);
        exchange.setProperty(VALUE, value);
        metrics.received(exchange.getFromRouteId(), 1);
        int limit = config.kafka().maxRecordBytes();
        if (value != null && value.length > limit) {
            throw new OversizedRecordException(
                    "the record value has " + value.length + " bytes, more than floe.kafka.max-record-bytes " + limit);
        }
        List<CloudEvent> events = CloudEventMessages.read(in, BinaryModeReader.Binding.KAFKA, limits);
        in.setBody(List.of(new SourcedEvent(events.get(0), at.toEventPosition())));
        exchange.setProperty(EventBatchAggregation.INPUT_BYTES, value == null ? 0L : (long) value.length);
    }
}
