package dev.floe.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Empty;
import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

/**
 * A client of Floe's {@code floe.v1.CloudEventService} for tests and benchmarks, calling it as a stub generated from
 * {@code floe/v1/cloudevent_service.proto} would: the same method names and message types.
 */
public final class CloudEventServiceClient {

    public static final String SERVICE = "floe.v1.CloudEventService";
    public static final MethodDescriptor<CloudEvent, Empty> PUBLISH = method("Publish",
            MethodDescriptor.MethodType.UNARY, ProtoUtils.marshaller(CloudEvent.getDefaultInstance()));
    public static final MethodDescriptor<CloudEvent, Empty> PUBLISH_STREAM = method("PublishStream",
            MethodDescriptor.MethodType.CLIENT_STREAMING, ProtoUtils.marshaller(CloudEvent.getDefaultInstance()));
    /** A CloudEventBatch as bytes, so that a test can send one that is not well-formed too (see {@link #batch}). */
    public static final MethodDescriptor<byte[], Empty> PUBLISH_BATCH = method("PublishBatch",
            MethodDescriptor.MethodType.UNARY, new MethodDescriptor.Marshaller<>() {

                @Override
                public InputStream stream(byte[] value) {
                    return new ByteArrayInputStream(value);
                }

                @Override
                public byte[] parse(InputStream stream) {
                    throw new UnsupportedOperationException("a client only sends batches");
                }
            });

    private CloudEventServiceClient() {
    }

    private static <Q> MethodDescriptor<Q, Empty> method(String name, MethodDescriptor.MethodType type,
            MethodDescriptor.Marshaller<Q> request) {
        return MethodDescriptor.<Q, Empty>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(request)
                .setResponseMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance())).build();
    }

    /** The bytes of a CloudEventBatch holding these events: its repeated field 1. */
    public static byte[] batch(List<CloudEvent> events) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            for (CloudEvent e : events) {
                out.writeMessage(1, e);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One PublishBatch call; the future ends with its answer. */
    public static CompletableFuture<Empty> publishBatch(Channel channel, CallOptions options, List<CloudEvent> events) {
        CompletableFuture<Empty> answer = new CompletableFuture<>();
        ClientCalls.asyncUnaryCall(channel.newCall(PUBLISH_BATCH, options), batch(events), answerTo(answer));
        return answer;
    }

    /** One PublishStream call with these events, half-closed; the future ends with its one answer. */
    public static CompletableFuture<Empty> publishStream(Channel channel, CallOptions options,
            List<CloudEvent> events) {
        CompletableFuture<Empty> answer = new CompletableFuture<>();
        StreamObserver<CloudEvent> requests = ClientCalls.asyncClientStreamingCall(
                channel.newCall(PUBLISH_STREAM, options), answerTo(answer));
        events.forEach(requests::onNext);
        requests.onCompleted();
        return answer;
    }

    private static StreamObserver<Empty> answerTo(CompletableFuture<Empty> answer) {
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
}
