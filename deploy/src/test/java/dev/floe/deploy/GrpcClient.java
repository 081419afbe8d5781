package dev.floe.deploy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Empty;
import dev.floe.grpc.v1.CloudEventServiceGrpc;
import dev.floe.grpc.v1.CloudEventServiceGrpc.CloudEventServiceBlockingStub;
import dev.floe.grpc.v1.CloudEventServiceGrpc.CloudEventServiceStub;
import dev.floe.testing.CloudEventServiceClient;
import dev.floe.testing.ProtobufEvents;
import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;

/** A sender on one channel (one HTTP/2 connection) to a Floe process' gRPC port, through the generated stubs. */
final class GrpcClient implements AutoCloseable {

    static final String SOURCE = "/deploy/grpc";
    static final String TYPE = "dev.floe.test";

    final ManagedChannel channel;

    GrpcClient(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    static List<CloudEvent> events(String prefix, int n) {
        return ProtobufEvents.numbered(prefix, n, SOURCE, TYPE);
    }

    static List<String> ids(List<CloudEvent> events) {
        return events.stream().map(CloudEvent::getId).toList();
    }

    /** The channel, sending this bearer token (none when null). */
    Channel as(String token) {
        return CloudEventServiceClient.withToken(channel, token);
    }

    /** The generated blocking stub, with this token, answering within 60 s. */
    CloudEventServiceBlockingStub blocking(String token) {
        return CloudEventServiceGrpc.newBlockingStub(as(token)).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private CloudEventServiceStub async(String token) {
        return CloudEventServiceGrpc.newStub(as(token)).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    CompletableFuture<Empty> stream(List<CloudEvent> events) {
        return stream(null, events);
    }

    CompletableFuture<Empty> stream(String token, List<CloudEvent> events) {
        return CloudEventServiceClient.publishStream(async(token), events);
    }

    CompletableFuture<Empty> batch(List<CloudEvent> events) {
        return batch(null, events);
    }

    CompletableFuture<Empty> batch(String token, List<CloudEvent> events) {
        return CloudEventServiceClient.publishBatch(async(token), events);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
