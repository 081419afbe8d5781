package dev.floe.camel.iceberg;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Set;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;

/**
 * A CloudEvent with where it was read from, written to the row's ingestion metadata columns (see
 * {@link EventTableLayout#KAFKA}). It is the event in every other respect.
 */
public final class SourcedEvent implements CloudEvent {

    /** A Kafka record's coordinates and key (null when the record had none). */
    public record KafkaPosition(String topic, int partition, long offset, byte[] key) {
    }

    private final CloudEvent event;
    private final KafkaPosition position;

    public SourcedEvent(CloudEvent event, KafkaPosition position) {
        this.event = event;
        this.position = position;
    }

    public CloudEvent event() {
        return event;
    }

    public KafkaPosition position() {
        return position;
    }

    @Override
    public CloudEventData getData() {
        return event.getData();
    }

    @Override
    public SpecVersion getSpecVersion() {
        return event.getSpecVersion();
    }

    @Override
    public String getId() {
        return event.getId();
    }

    @Override
    public String getType() {
        return event.getType();
    }

    @Override
    public URI getSource() {
        return event.getSource();
    }

    @Override
    public String getDataContentType() {
        return event.getDataContentType();
    }

    @Override
    public URI getDataSchema() {
        return event.getDataSchema();
    }

    @Override
    public String getSubject() {
        return event.getSubject();
    }

    @Override
    public OffsetDateTime getTime() {
        return event.getTime();
    }

    @Override
    public Object getAttribute(String attributeName) {
        return event.getAttribute(attributeName);
    }

    @Override
    public Object getExtension(String extensionName) {
        return event.getExtension(extensionName);
    }

    @Override
    public Set<String> getExtensionNames() {
        return event.getExtensionNames();
    }
}
