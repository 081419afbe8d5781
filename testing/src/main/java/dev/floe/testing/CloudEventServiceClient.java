package dev.floe.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import dev.floe.grpc.v1.CloudEventBatch;
import dev.floe.grpc.v1.CloudEventServiceGrpc;
import dev.floe.grpc.v1.CloudEventServiceGrpc.CloudEventServiceStub;
import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

/**
 * Calls Floe's {@code floe.v1.CloudEventService} for tests and benchmarks on the stubs protoc generates from its .proto
 * ({@link CloudEventServiceGrpc}, in floe-grpc-api), and reads the answers as a client sees them: status codes and the
 * violations of a refusal.
 */
public final class CloudEventServiceClient {

    /** The committed snapshot, in the answer's headers. */
    public static final Metadata.Key<String> SNAPSHOT_ID = Metadata.Key.of("floe-snapshot-id",
            Metadata.ASCII_STRING_MARSHALLER);

    /**
     * PublishBatch with the request as bytes: the one call a generated stub cannot make, a CloudEventBatch that is not
     * well-formed Protobuf. Every other call goes through the generated stubs.
     */
    public static final MethodDescriptor<byte[], Empty> PUBLISH_BATCH_BYTES = CloudEventServiceGrpc
            .getPublishBatchMethod().toBuilder(new MethodDescriptor.Marshaller<byte[]>() {

                @Override
                public InputStream stream(byte[] value) {
                    return new ByteArrayInputStream(value);
                }

                @Override
                public byte[] parse(InputStream stream) {
                    throw new UnsupportedOperationException("a client only sends batches");
                }
            }, ProtoUtils.marshaller(Empty.getDefaultInstance())).build();

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private CloudEventServiceClient() {
    }

    /** The channel with {@code Bearer token} in every call's authorization metadata; as it is when token is null. */
    public static Channel withToken(Channel channel, String token) {
        if (token == null) {
            return channel;
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    public static CloudEventBatch batch(List<CloudEvent> events) {
        return CloudEventBatch.newBuilder().addAllEvents(events).build();
    }

    /** One PublishBatch call; the future ends with its answer. */
    public static CompletableFuture<Empty> publishBatch(CloudEventServiceStub stub, List<CloudEvent> events) {
        CompletableFuture<Empty> answer = new CompletableFuture<>();
        stub.publishBatch(batch(events), answerTo(answer));
        return answer;
    }

    /** One PublishStream call with these events, half-closed; the future ends with its one answer. */
    public static CompletableFuture<Empty> publishStream(CloudEventServiceStub stub, List<CloudEvent> events) {
        CompletableFuture<Empty> answer = new CompletableFuture<>();
        StreamObserver<CloudEvent> requests = stub.publishStream(answerTo(answer));
        events.forEach(requests::onNext);
        requests.onCompleted();
        return answer;
    }

    /** One PublishBatch call with these bytes as its request, answered or failed with its status. */
    public static Empty publishBatchBytes(Channel channel, CallOptions options, byte[] request) {
        return ClientCalls.blockingUnaryCall(channel, PUBLISH_BATCH_BYTES, options, request);
    }

    /** The status code the call failed with. */
    public static Status.Code code(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("the call succeeded");
    }

    /** The fields a refusal names in its google.rpc.BadRequest detail, in order; none without one. */
    public static List<String> violations(StatusRuntimeException error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        if (status == null) {
            return List.of();
        }
        try {
            for (Any detail : status.getDetailsList()) {
                if (detail.is(BadRequest.class)) {
                    return detail.unpack(BadRequest.class).getFieldViolationsList().stream()
                            .map(BadRequest.FieldViolation::getField).toList();
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a BadRequest detail that does not parse", e);
        }
        return List.of();
    }

    /** An observer of one call's answer that ends the future with it. */
    public static StreamObserver<Empty> answerTo(CompletableFuture<Empty> answer) {
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
