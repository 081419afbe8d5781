package dev.floe.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException;
import dev.floe.camel.iceberg.cloudevents.ProtobufEventReader;
import dev.floe.camel.iceberg.cloudevents.Violation;
import dev.floe.grpc.v1.CloudEventBatch;
import io.cloudevents.v1.proto.CloudEvent;
import org.junit.jupiter.api.Test;

/** A burst of a stream's events is a CloudEventBatch, read as PublishBatch's, its violations named by stream position. */
class StreamBurstTest {

    private static byte[] event(String id, String type) {
        return CloudEvent.newBuilder().setId(id).setSource("/tests/burst").setSpecVersion("1.0").setType(type).build()
                .toByteArray();
    }

    @Test
    void aBurstIsTheBatchOfItsEventsInOrder() throws Exception {
        List<byte[]> events = List.of(event("b-1", "t"), event("b-2", "t"), event("b-3", "t"));
        byte[] batch = CloudEventGrpcService.asBatch(events);
        // the same bytes protoc's builder makes of these events
        CloudEventBatch.Builder expected = CloudEventBatch.newBuilder();
        for (byte[] e : events) {
            expected.addEvents(CloudEvent.parseFrom(e));
        }
        assertThat(batch).isEqualTo(expected.build().toByteArray());
        assertThat(ProtobufEventReader.readBatch(batch, CloudEventLimits.DEFAULTS, 300))
                .extracting(io.cloudevents.CloudEvent::getId).containsExactly("b-1", "b-2", "b-3");
    }

    @Test
    void violationsNameTheEventsPositionInTheStream() {
        byte[] burst = CloudEventGrpcService.asBatch(List.of(event("b-1", "t"), event("b-2", "")));
        assertThatThrownBy(() -> ProtobufEventReader.readBatch(burst, CloudEventLimits.DEFAULTS, 300))
                .isInstanceOfSatisfying(InvalidCloudEventException.class, e -> assertThat(e.violations())
                        .extracting(Violation::attribute).containsExactly("/301/type"));
        // a PublishBatch counts from 0
        assertThatThrownBy(() -> ProtobufEventReader.readBatch(burst, CloudEventLimits.DEFAULTS))
                .isInstanceOfSatisfying(InvalidCloudEventException.class, e -> assertThat(e.violations())
                        .extracting(Violation::attribute).containsExactly("/1/type"));
    }
}
