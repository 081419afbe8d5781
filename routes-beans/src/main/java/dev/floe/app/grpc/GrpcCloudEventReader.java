package dev.floe.app.grpc;

import java.util.List;

import dev.floe.app.batch.EventBatchAggregation;
import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import dev.floe.camel.iceberg.cloudevents.CloudEventMessages;
import dev.floe.camel.iceberg.cloudevents.ProtobufEventReader;
import io.cloudevents.CloudEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Reads a gRPC call's request, one {@code io.cloudevents.v1.CloudEvent} or a {@code CloudEventBatch} (a PublishBatch
 * request, or a burst of a PublishStream) as {@link CloudEventGrpcService} marked it, with the shared Protobuf format
 * reader: the same rules and limits as every other source. Replaces the body with the List of canonical CloudEvents,
 * or throws with every violation found.
 */
@ApplicationScoped
@Named("grpcCloudEventReader")
public class GrpcCloudEventReader implements Processor {

    /**
     * Exchange property: the stream position of a batch's first event, when the batch is a burst of a client stream, so
     * that violations name events by their position in the stream ("/300/time"), not in the burst.
     */
    public static final String FIRST_POSITION = "FloeGrpcFirstPosition";

    @Inject
    CloudEventLimits limits = CloudEventLimits.DEFAULTS;

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getIn();
        byte[] body = in.getBody(byte[].class);
        boolean batch = CloudEventMessages.BATCH_PROTOBUF.equals(in.getHeader(Exchange.CONTENT_TYPE, String.class));
        List<CloudEvent> events = batch
                ? ProtobufEventReader.readBatch(body, limits, exchange.getProperty(FIRST_POSITION, 0, Integer.class))
                : List.of(ProtobufEventReader.readEvent(body, limits));
        exchange.setProperty(EventBatchAggregation.INPUT_BYTES, body == null ? 0L : (long) body.length);
        in.setBody(events);
    }
}
