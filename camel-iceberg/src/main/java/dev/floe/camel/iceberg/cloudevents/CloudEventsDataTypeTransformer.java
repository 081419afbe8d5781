package dev.floe.camel.iceberg.cloudevents;

import org.apache.camel.Message;
import org.apache.camel.spi.DataType;
import org.apache.camel.spi.DataTypeTransformer;
import org.apache.camel.spi.Transformer;

/**
 * Data type {@code iceberg:cloudevents}: reads the message's CloudEvents (structured or batched JSON, or binary mode
 * with {@code ce-} or {@code ce_} headers) into the List of canonical CloudEvents the iceberg producer writes. Invalid
 * events fail the exchange with {@link InvalidCloudEventException}.
 */
@DataTypeTransformer(name = "iceberg:cloudevents", description = "Reads CloudEvents (structured, batched or binary mode) into a List of CloudEvents")
public class CloudEventsDataTypeTransformer extends Transformer {

    private static final BinaryModeReader.Binding ANY_HEADERS = new BinaryModeReader.Binding("HTTP or Kafka",
            java.util.List.of("ce-", "ce_"), false, true, true);

    @Override
    public void transform(Message message, DataType from, DataType to) {
        message.setBody(CloudEventMessages.read(message, ANY_HEADERS));
    }
}
