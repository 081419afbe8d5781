package dev.floe.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.floe.grpc.v1.CloudEventServiceGrpc;
import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import org.junit.jupiter.api.Test;

/** The server binds the service protoc generated from floe/v1/cloudevent_service.proto, and reflection serves its schema. */
class ServiceDefinitionTest {

    @Test
    void theServedMethodsAreTheGeneratedOnesTakingBytes() {
        List<MethodDescriptor<?, ?>> generated = List.of(CloudEventServiceGrpc.getPublishMethod(),
                CloudEventServiceGrpc.getPublishBatchMethod(), CloudEventServiceGrpc.getPublishStreamMethod());
        assertThat(CloudEventGrpcService.DESCRIPTOR.getName()).isEqualTo("floe.v1.CloudEventService");
        assertThat(CloudEventGrpcService.DESCRIPTOR.getMethods()).hasSize(3).allSatisfy(served -> {
            MethodDescriptor<?, ?> own = generated.stream()
                    .filter(m -> m.getFullMethodName().equals(served.getFullMethodName())).findFirst().orElseThrow();
            assertThat(served.getType()).isEqualTo(own.getType());
            assertThat(served.getSchemaDescriptor()).isSameAs(own.getSchemaDescriptor());
            assertThat(served.getRequestMarshaller()).isSameAs(CloudEventGrpcService.BYTES);
        });
        assertThat(CloudEventGrpcService.PUBLISH_STREAM.getType())
                .isEqualTo(MethodDescriptor.MethodType.CLIENT_STREAMING);
    }

    @Test
    void serverReflectionDescribesTheServiceAsTheProtoFileDoes() throws Exception {
        Descriptors.ServiceDescriptor service = ((ProtoServiceDescriptorSupplier) CloudEventGrpcService.DESCRIPTOR
                .getSchemaDescriptor()).getServiceDescriptor();
        FileDescriptor file = service.getFile();
        assertThat(file.getName()).isEqualTo("floe/v1/cloudevent_service.proto");
        assertThat(file.getDependencies()).extracting(FileDescriptor::getName)
                .containsExactly("cloudevents.proto", "google/protobuf/empty.proto");
        assertThat(service.getMethods()).extracting(m -> m.getName() + "(" + (m.isClientStreaming() ? "stream " : "")
                + m.getInputType().getFullName() + ") " + m.getOutputType().getFullName())
                .containsExactly("Publish(io.cloudevents.v1.CloudEvent) google.protobuf.Empty",
                        "PublishBatch(io.cloudevents.v1.CloudEventBatch) google.protobuf.Empty",
                        "PublishStream(stream io.cloudevents.v1.CloudEvent) google.protobuf.Empty");
        // the event is the CloudEvents SDK's message, not a second one generated here
        assertThat(service.findMethodByName("Publish").getInputType()).isSameAs(CloudEvent.getDescriptor());
        // the batch is the spec's: its events in field 1, the field the reader takes them from
        Descriptors.FieldDescriptor events = service.findMethodByName("PublishBatch").getInputType()
                .findFieldByNumber(1);
        assertThat(events.isRepeated()).isTrue();
        assertThat(events.getMessageType()).isSameAs(CloudEvent.getDescriptor());
        // and the .proto clients of other languages generate from ships beside the classes
        try (InputStream proto = getClass().getResourceAsStream("/floe/v1/cloudevent_service.proto")) {
            assertThat(proto).isNotNull();
        }
    }
}
