package dev.floe.app.kafka;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.floe.app.FloeConfig;
import dev.floe.app.FloeMetrics;
import dev.floe.camel.iceberg.SourcedEvent;
import dev.floe.camel.iceberg.cloudevents.BinaryModeReader;
import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import dev.floe.camel.iceberg.cloudevents.CloudEventMessages;
import dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException;
import dev.floe.camel.iceberg.cloudevents.UnsupportedFormatException;
import io.cloudevents.CloudEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Reads each record of a {@link KafkaPoll} as a CloudEvent, by the CloudEvents Kafka protocol binding: binary mode
 * ({@code ce_} headers, {@code content-type} as datacontenttype, the value as data) or structured mode
 * ({@code content-type: application/cloudevents+json}). The event carries the record's topic, partition, offset and
 * key into the row. A record that is not a valid CloudEvent, or whose value is larger than floe.kafka.max-record-bytes,
 * is set aside for the dead-letter topic.
 */
@ApplicationScoped
@Named("kafkaCloudEventReader")
public class KafkaCloudEventReader implements Processor {

    @Inject
    FloeConfig config;
    @Inject
    FloeMetrics metrics;
    @Inject
    CloudEventLimits limits = CloudEventLimits.DEFAULTS;

    @Override
    public void process(Exchange exchange) {
        KafkaPoll poll = exchange.getIn().getBody(KafkaPoll.class);
        metrics.received(exchange.getFromRouteId(), poll.records().size());
        int limit = config.kafka().maxRecordBytes();
        for (PolledRecord record : poll.records()) {
            if (record.size() > limit) {
                record.reject(new OversizedRecordException("the record value has " + record.size()
                        + " bytes, more than floe.kafka.max-record-bytes " + limit));
                continue;
            }
            try {
                List<CloudEvent> events = CloudEventMessages.read(record.message(), BinaryModeReader.Binding.KAFKA,
                        limits);
                record.event(new SourcedEvent(events.get(0), record.at().toEventPosition()));
            } catch (InvalidCloudEventException | UnsupportedFormatException e) {
                record.reject(e);
            }
        }
    }
}
