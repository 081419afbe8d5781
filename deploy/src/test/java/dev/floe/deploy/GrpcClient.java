package dev.floe.deploy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.google.protobuf.Empty;
import dev.floe.testing.CloudEventServiceClient;
import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;

/** A sender on one channel (one HTTP/2 connection) to a Floe process' gRPC port. */
final class GrpcClient implements AutoCloseable {

    private final ManagedChannel channel;

    GrpcClient(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    static List<CloudEvent> events(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> CloudEvent.newBuilder().setSpecVersion("1.0").setId(prefix + i)
                .setSource("/deploy/grpc").setType("dev.floe.test").build()).toList();
    }

    static List<String> ids(List<CloudEvent> events) {
        return events.stream().map(CloudEvent::getId).toList();
    }

    private static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    CompletableFuture<Empty> stream(List<CloudEvent> events) {
        return CloudEventServiceClient.publishStream(channel, options(), events);
    }

    CompletableFuture<Empty> batch(List<CloudEvent> events) {
        return CloudEventServiceClient.publishBatch(channel, options(), events);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
