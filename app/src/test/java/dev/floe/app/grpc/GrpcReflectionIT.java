package dev.floe.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Empty;
import com.google.protobuf.util.JsonFormat;
import dev.floe.app.Tables;
import dev.floe.grpc.v1.CloudEventServiceGrpc;
import dev.floe.testing.CloudEventServiceClient;
import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server reflection on the gRPC port, used the way grpcurl uses it without -proto: list the services, fetch the
 * service's .proto files by symbol, turn the README's JSON into the request message with those descriptors, and call
 * Publish. The row lands.
 */
@QuarkusTest
@TestProfile(GrpcHealthIT.OnPostgres.class)
class GrpcReflectionIT {

    static ManagedChannel channel;

    @Inject
    Catalog catalog;

    @BeforeAll
    static void connect() {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", GrpcResource.port).usePlaintext().build();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    static ServerReflectionResponse ask(ServerReflectionRequest request) throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS).serverReflectionInfo(new StreamObserver<>() {

                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        answer.complete(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(request);
        requests.onCompleted();
        return answer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void listsItsServicesAndDescribesFloesSoAJsonRequestCanBeSentWithoutAProtoFile() throws Exception {
        List<String> services = ask(ServerReflectionRequest.newBuilder().setListServices("").build())
                .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
        assertThat(services).contains("floe.v1.CloudEventService", "grpc.health.v1.Health",
                "grpc.reflection.v1.ServerReflection");

        ServerReflectionResponse files = ask(
                ServerReflectionRequest.newBuilder().setFileContainingSymbol("floe.v1.CloudEventService").build());
        Map<String, FileDescriptorProto> protos = new HashMap<>();
        for (ByteString bytes : files.getFileDescriptorResponse().getFileDescriptorProtoList()) {
            FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
            protos.put(proto.getName(), proto);
        }
        ServiceDescriptor service = build("floe/v1/cloudevent_service.proto", protos, new HashMap<>())
                .findServiceByName("CloudEventService");
        assertThat(service.getMethods()).extracting(MethodDescriptor::getName).containsExactly("Publish",
                "PublishBatch", "PublishStream");
        assertThat(service.findMethodByName("PublishBatch").getInputType().getFullName())
                .isEqualTo("io.cloudevents.v1.CloudEventBatch");
        assertThat(service.findMethodByName("PublishStream").isClientStreaming()).isTrue();

        // what grpcurl -d '{…}' … floe.v1.CloudEventService/Publish does with them (README "gRPC")
        String id = "reflect-" + UUID.randomUUID();
        Descriptor input = service.findMethodByName("Publish").getInputType();
        DynamicMessage.Builder event = DynamicMessage.newBuilder(input);
        JsonFormat.parser().merge("{\"id\":\"" + id + "\",\"source\":\"/sensors/42\",\"spec_version\":\"1.0\","
                + "\"type\":\"dev.floe.grpc.reading\","
                + "\"attributes\":{\"datacontenttype\":{\"ce_string\":\"application/json\"}},"
                + "\"text_data\":\"{\\\"celsius\\\":21.5}\"}", event);
        // the bytes grpcurl would send, through the generated stub
        Empty answer = CloudEventServiceGrpc
                .newBlockingStub(CloudEventServiceClient.withToken(channel, GrpcResource.SENDER_TOKEN))
                .withDeadlineAfter(60, TimeUnit.SECONDS).publish(CloudEvent.parseFrom(event.build().toByteString()));
        assertThat(answer).isEqualTo(Empty.getDefaultInstance());
        List<Record> rows = Tables.rowsWithIdPrefix(catalog, GrpcToIcebergIT.TABLE, id);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getField("source")).isEqualTo("/sensors/42");
        assertThat(rows.get(0).getField("datacontenttype")).isEqualTo("application/json");
        assertThat(rows.get(0).getField("data")).isEqualTo("{\"celsius\":21.5}");
    }

    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
            Map<String, FileDescriptor> built) throws Exception {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        assertThat(proto).as("reflection sent " + name).isNotNull();
        List<FileDescriptor> dependencies = new ArrayList<>();
        for (String dependency : proto.getDependencyList()) {
            dependencies.add(build(dependency, protos, built));
        }
        FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
        built.put(name, file);
        return file;
    }
}
