package dev.floe.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Empty;
import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

/**
 * A gRPC client of Floe's {@code floe.v1.CloudEventService}, as a sender's stub generated from its .proto would call it
 * (the method names and message types of {@code floe/v1/cloudevent_service.proto}).
 */
final class GrpcClient implements AutoCloseable {

    private static final MethodDescriptor<CloudEvent, Empty> PUBLISH_STREAM = method("PublishStream",
            MethodDescriptor.MethodType.CLIENT_STREAMING, ProtoUtils.marshaller(CloudEvent.getDefaultInstance()));
    /** A CloudEventBatch is its events as repeated field 1: written as such, not through a generated class. */
    private static final MethodDescriptor<byte[], Empty> PUBLISH_BATCH = method("PublishBatch",
            MethodDescriptor.MethodType.UNARY, new MethodDescriptor.Marshaller<>() {

                @Override
                public InputStream stream(byte[] value) {
                    return new java.io.ByteArrayInputStream(value);
                }

                @Override
                public byte[] parse(InputStream stream) {
                    throw new UnsupportedOperationException("requests only");
                }
            });

    private final ManagedChannel channel;

    GrpcClient(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private static <Q> MethodDescriptor<Q, Empty> method(String name, MethodDescriptor.MethodType type,
            MethodDescriptor.Marshaller<Q> request) {
        return MethodDescriptor.<Q, Empty>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("floe.v1.CloudEventService", name))
                .setRequestMarshaller(request)
                .setResponseMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance())).build();
    }

    static List<CloudEvent> events(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> CloudEvent.newBuilder().setSpecVersion("1.0").setId(prefix + i)
                .setSource("/deploy/grpc").setType("dev.floe.test").build()).toList();
    }

    static List<String> ids(List<CloudEvent> events) {
        return events.stream().map(CloudEvent::getId).toList();
    }

    /** A client stream of these events, half-closed; the answer comes once all of them are committed. */
    CompletableFuture<Empty> stream(List<CloudEvent> events) {
        CompletableFuture<Empty> answer = new CompletableFuture<>();
        StreamObserver<CloudEvent> requests = ClientCalls.asyncClientStreamingCall(
                channel.newCall(PUBLISH_STREAM, CallOptions.DEFAULT.withDeadlineAfter(120, TimeUnit.SECONDS)),
                observer(answer));
        events.forEach(requests::onNext);
        requests.onCompleted();
        return answer;
    }

    /** One PublishBatch call with these events. */
    CompletableFuture<Empty> batch(List<CloudEvent> events) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (CloudEvent e : events) {
            out.writeMessage(1, e);
        }
        out.flush();
        CompletableFuture<Empty> answer = new CompletableFuture<>();
        ClientCalls.asyncUnaryCall(
                channel.newCall(PUBLISH_BATCH, CallOptions.DEFAULT.withDeadlineAfter(120, TimeUnit.SECONDS)),
                bytes.toByteArray(), observer(answer));
        return answer;
    }

    private static StreamObserver<Empty> observer(CompletableFuture<Empty> answer) {
        return new StreamObserver<>() {

            @Override
            public void onNext(Empty value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.complete(Empty.getDefaultInstance());
            }
        };
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
