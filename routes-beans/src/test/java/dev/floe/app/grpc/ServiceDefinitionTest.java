package dev.floe.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.grpc.MethodDescriptor;
import org.junit.jupiter.api.Test;

/** The .proto clients generate their stubs from describes the service the server binds. */
class ServiceDefinitionTest {

    @Test
    void theProtoFileNamesEveryMethodAsServed() throws IOException {
        String proto;
        try (InputStream in = getClass().getResourceAsStream("/floe/v1/cloudevent_service.proto")) {
            proto = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(CloudEventGrpcService.SERVICE).isEqualTo("floe.v1.CloudEventService");
        assertThat(proto).contains("package floe.v1;").contains("service CloudEventService {");
        assertThat(proto).contains("rpc Publish(io.cloudevents.v1.CloudEvent) returns (google.protobuf.Empty);")
                .contains("rpc PublishBatch(io.cloudevents.v1.CloudEventBatch) returns (google.protobuf.Empty);")
                .contains("rpc PublishStream(stream io.cloudevents.v1.CloudEvent) returns (google.protobuf.Empty);");
        assertThat(CloudEventGrpcService.PUBLISH.getType()).isEqualTo(MethodDescriptor.MethodType.UNARY);
        assertThat(CloudEventGrpcService.PUBLISH.getBareMethodName()).isEqualTo("Publish");
        assertThat(CloudEventGrpcService.PUBLISH_BATCH.getBareMethodName()).isEqualTo("PublishBatch");
        assertThat(CloudEventGrpcService.PUBLISH_STREAM.getType())
                .isEqualTo(MethodDescriptor.MethodType.CLIENT_STREAMING);
        assertThat(CloudEventGrpcService.PUBLISH_STREAM.getBareMethodName()).isEqualTo("PublishStream");
    }

    @Test
    void serverReflectionDescribesTheServiceAsTheProtoFileDoes() {
        FileDescriptor file = CloudEventServiceSchema.FILE;
        assertThat(file.getName()).isEqualTo("floe/v1/cloudevent_service.proto");
        assertThat(file.getDependencies()).extracting(FileDescriptor::getName)
                .containsExactly("cloudevents.proto", "google/protobuf/empty.proto");
        Descriptors.ServiceDescriptor service = new CloudEventServiceSchema().getServiceDescriptor();
        assertThat(service.getFullName()).isEqualTo(CloudEventGrpcService.SERVICE);
        assertThat(service.getMethods()).extracting(m -> m.getName() + "(" + (m.isClientStreaming() ? "stream " : "")
                + m.getInputType().getFullName() + ") " + m.getOutputType().getFullName())
                .containsExactly("Publish(io.cloudevents.v1.CloudEvent) google.protobuf.Empty",
                        "PublishBatch(io.cloudevents.v1.CloudEventBatch) google.protobuf.Empty",
                        "PublishStream(stream io.cloudevents.v1.CloudEvent) google.protobuf.Empty");
        // the batch is the spec's: its events in field 1, the field the reader takes them from
        Descriptors.FieldDescriptor events = service.findMethodByName("PublishBatch").getInputType()
                .findFieldByNumber(1);
        assertThat(events.isRepeated()).isTrue();
        assertThat(events.getMessageType().getFullName()).isEqualTo("io.cloudevents.v1.CloudEvent");
    }
}
