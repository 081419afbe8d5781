package dev.floe.app.grpc;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.EmptyProto;
import io.cloudevents.v1.proto.Spec;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;

/**
 * The schema of {@code floe.v1.CloudEventService} as floe/v1/cloudevent_service.proto says, for server reflection
 * (grpcurl without -proto). The service has no generated code (it reads requests as bytes), so its descriptor is built
 * here: from the CloudEvents SDK's descriptor of io.cloudevents.v1.CloudEvent, renamed to the spec's
 * cloudevents.proto (the file the .proto imports) with the CloudEventBatch the SDK leaves out.
 */
final class CloudEventServiceSchema implements ProtoFileDescriptorSupplier, ProtoServiceDescriptorSupplier {

    static final FileDescriptor FILE = build();

    private static FileDescriptor build() {
        try {
            FileDescriptorProto cloudEvents = Spec.getDescriptor().toProto().toBuilder().setName("cloudevents.proto")
                    .addMessageType(DescriptorProto.newBuilder().setName("CloudEventBatch")
                            .addField(FieldDescriptorProto.newBuilder().setName("events").setNumber(1)
                                    .setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)
                                    .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
                                    .setTypeName(".io.cloudevents.v1.CloudEvent")))
                    .build();
            FileDescriptor cloudEventsFile = FileDescriptor.buildFrom(cloudEvents,
                    Spec.getDescriptor().getDependencies().toArray(FileDescriptor[]::new));
            FileDescriptorProto service = FileDescriptorProto.newBuilder()
                    .setName("floe/v1/cloudevent_service.proto").setPackage("floe.v1").setSyntax("proto3")
                    .addDependency(cloudEvents.getName()).addDependency(EmptyProto.getDescriptor().getName())
                    .addService(ServiceDescriptorProto.newBuilder().setName("CloudEventService")
                            .addMethod(method(CloudEventGrpcService.PUBLISH, "CloudEvent"))
                            .addMethod(method(CloudEventGrpcService.PUBLISH_BATCH, "CloudEventBatch"))
                            .addMethod(method(CloudEventGrpcService.PUBLISH_STREAM, "CloudEvent")))
                    .build();
            return FileDescriptor.buildFrom(service,
                    new FileDescriptor[]{cloudEventsFile, EmptyProto.getDescriptor()});
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodDescriptorProto method(io.grpc.MethodDescriptor<?, ?> method, String input) {
        return MethodDescriptorProto.newBuilder().setName(method.getBareMethodName())
                .setInputType(".io.cloudevents.v1." + input).setOutputType(".google.protobuf.Empty")
                .setClientStreaming(method.getType() == io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
                .build();
    }

    @Override
    public FileDescriptor getFileDescriptor() {
        return FILE;
    }

    @Override
    public Descriptors.ServiceDescriptor getServiceDescriptor() {
        return FILE.findServiceByName("CloudEventService");
    }
}
