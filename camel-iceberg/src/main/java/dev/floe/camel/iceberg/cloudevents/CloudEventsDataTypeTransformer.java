package dev.floe.camel.iceberg.cloudevents;

import java.util.List;

import org.apache.camel.Message;
import org.apache.camel.spi.DataType;
import org.apache.camel.spi.DataTypeTransformer;
import org.apache.camel.spi.Transformer;

/**
 * Data type {@code iceberg:application-cloudevents} (Camel's scheme:media-type naming): reads the message's CloudEvents (structured or batched JSON, or binary mode
 * with {@code ce-} headers, percent-decoded as HTTP's binding says, or Kafka's {@code ce_} headers) into the List of
 * canonical CloudEvents the iceberg producer writes. Invalid events fail the exchange with
 * {@link InvalidCloudEventException}.
 */
@DataTypeTransformer(name = "iceberg:application-cloudevents", description = "Reads CloudEvents (structured, batched or binary mode) into a List of CloudEvents")
public class CloudEventsDataTypeTransformer extends Transformer {

    // ce- headers come over HTTP, whose binding percent-encodes their values (3.1.3); ce_ headers come from Kafka,
    // whose binding does not. Both accept UTF-8 bytes, as a Kafka source hands header values over.
    private static final BinaryModeReader.Binding HTTP_HEADERS = new BinaryModeReader.Binding("HTTP", List.of("ce-"),
            true, true, true);
    private static final BinaryModeReader.Binding KAFKA_HEADERS = new BinaryModeReader.Binding("Kafka",
            List.of("ce_"), false, true, true);

    @Override
    public void transform(Message message, DataType from, DataType to) {
        BinaryModeReader.Binding binding = BinaryModeReader.hasAttributes(message.getHeaders(), HTTP_HEADERS)
                ? HTTP_HEADERS
                : KAFKA_HEADERS;
        message.setBody(CloudEventMessages.read(message, binding));
    }
}
