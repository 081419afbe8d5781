package dev.floe.app.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Empty;
import dev.floe.camel.iceberg.IcebergConstants;
import dev.floe.camel.iceberg.cloudevents.CloudEventMessages;
import dev.floe.grpc.v1.CloudEventBatch;
import dev.floe.grpc.v1.CloudEventServiceGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultConsumer;

/**
 * Floe's gRPC service, {@code floe.v1.CloudEventService} (README "gRPC"), served by {@link CloudEventGrpcServer}, the
 * consumer of routes/grpc-to-iceberg.yaml. Each call's events become one exchange of the route (a stream's, one per
 * burst), with the Protobuf event format's media type, so the shared reader checks them; the call is answered when that
 * exchange ends, after the commit holding its events, or with the status {@link GrpcStatusResponder} chose.
 * <p>
 * The methods and schema are the ones protoc generated ({@link CloudEventServiceGrpc}), but each request is taken as
 * bytes instead of through the generated {@code bindService()}: the reader decodes it once and names every violation,
 * where the generated parser would decode it a second time and refuse a malformed one itself, before the reader, with
 * neither INVALID_ARGUMENT nor the violations.
 */
@ApplicationScoped
public class CloudEventGrpcService {

    public static final String SERVICE = CloudEventServiceGrpc.SERVICE_NAME;
    /** Events of one stream arrived or in the route at once; more are read as earlier ones commit. */
    static final int STREAM_WINDOW = 256;

    static final Metadata.Key<String> SNAPSHOT_ID = Metadata.Key.of("floe-snapshot-id",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> AUTHORIZATION_VALUE = Context.key("floe-authorization");
    private static final Context.Key<AtomicReference<String>> SNAPSHOT_VALUE = Context.key("floe-snapshot-id");

    /** The request as it came, held to the maximum message size by grpc-java; declared before the methods use it. */
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    // The generated methods (names, kinds, schema), taking the request as it came
    static final MethodDescriptor<byte[], Empty> PUBLISH = asBytes(CloudEventServiceGrpc.getPublishMethod());
    static final MethodDescriptor<byte[], Empty> PUBLISH_BATCH = asBytes(
            CloudEventServiceGrpc.getPublishBatchMethod());
    static final MethodDescriptor<byte[], Empty> PUBLISH_STREAM = asBytes(
            CloudEventServiceGrpc.getPublishStreamMethod());

    /**
     * The generated service with these methods: its schema (the file descriptor protoc generated) is what server
     * reflection serves.
     */
    static final ServiceDescriptor DESCRIPTOR = ServiceDescriptor.newBuilder(SERVICE)
            .setSchemaDescriptor(CloudEventServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
            .addMethod(PUBLISH).addMethod(PUBLISH_BATCH).addMethod(PUBLISH_STREAM).build();

    private static MethodDescriptor<byte[], Empty> asBytes(MethodDescriptor<?, Empty> generated) {
        return generated.toBuilder(BYTES, generated.getResponseMarshaller()).build();
    }

    /**
     * The service, its calls handed to the consumer's route; {@code handOff} runs the hand-off of a stream's bursts
     * (see {@link EventStream}).
     */
    public ServerServiceDefinition bind(DefaultConsumer consumer, Executor handOff) {
        ServerServiceDefinition service = ServerServiceDefinition.builder(DESCRIPTOR)
                .addMethod(PUBLISH, ServerCalls.asyncUnaryCall((body, response) -> publish(consumer, body,
                        CloudEventMessages.STRUCTURED_PROTOBUF, (ServerCallStreamObserver<Empty>) response)))
                .addMethod(PUBLISH_BATCH, ServerCalls.asyncUnaryCall((body, response) -> publish(consumer, body,
                        CloudEventMessages.BATCH_PROTOBUF, (ServerCallStreamObserver<Empty>) response)))
                .addMethod(PUBLISH_STREAM, ServerCalls.asyncClientStreamingCall(
                        response -> new EventStream(consumer, handOff, (ServerCallStreamObserver<Empty>) response)))
                .build();
        return ServerInterceptors.intercept(service, new CallMetadata());
    }

    private static void publish(DefaultConsumer consumer, byte[] body, String format,
            ServerCallStreamObserver<Empty> response) {
        // a cancelled call (its deadline passed, or the client left) still commits its events: a retry is deduplicated
        response.setOnCancelHandler(() -> {
        });
        send(consumer, body, format, status -> {
            if (response.isCancelled()) {
                return;
            }
            if (status != null) {
                response.onError(status);
            } else {
                response.onNext(Empty.getDefaultInstance());
                response.onCompleted();
            }
        });
    }

    /** How an exchange ended: null when its events were committed, else the status to answer. */
    interface Outcome {

        void ended(StatusRuntimeException status);
    }

    /** Runs the body through the route, asynchronously: the outcome comes once the exchange has ended. */
    static void send(DefaultConsumer consumer, byte[] body, String format, Outcome outcome) {
        send(consumer, body, format, 0, outcome);
    }

    /**
     * As {@link #send(DefaultConsumer, byte[], String, Outcome)}; {@code firstPosition} is the stream position of a
     * burst's first event. Returns once the route has taken the exchange (it is waiting for its commit, or has ended).
     */
    static void send(DefaultConsumer consumer, byte[] body, String format, int firstPosition, Outcome outcome) {
        Context call = Context.current();
        if (call.getDeadline() != null && call.getDeadline().isExpired()) {
            outcome.ended(
                    Status.DEADLINE_EXCEEDED.withDescription("the deadline passed before the events were admitted")
                            .asRuntimeException());
            return;
        }
        Exchange exchange = consumer.createExchange(false);
        exchange.getIn().setBody(body);
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, format);
        if (firstPosition > 0) {
            exchange.setProperty(GrpcCloudEventReader.FIRST_POSITION, firstPosition);
        }
        String authorization = AUTHORIZATION_VALUE.get(call);
        if (authorization != null) {
            exchange.getIn().setHeader("Authorization", authorization);
        }
        AtomicReference<String> snapshot = SNAPSHOT_VALUE.get(call);
        consumer.getAsyncProcessor().process(exchange, doneSync -> {
            StatusRuntimeException status = GrpcStatusResponder.statusOf(exchange);
            Object snapshotId = exchange.getMessage().getHeader(IcebergConstants.SNAPSHOT_ID);
            if (status == null && snapshot != null && snapshotId != null) {
                snapshot.set(snapshotId.toString());
            }
            consumer.releaseExchange(exchange, false);
            outcome.ended(status);
        });
    }

    /** The events as one {@code CloudEventBatch} (each its own field 1), so a burst takes PublishBatch's path. */
    static byte[] asBatch(List<byte[]> events) {
        int size = 0;
        for (byte[] event : events) {
            size += CodedOutputStream.computeByteArraySize(CloudEventBatch.EVENTS_FIELD_NUMBER, event);
        }
        byte[] batch = new byte[size];
        CodedOutputStream out = CodedOutputStream.newInstance(batch);
        try {
            for (byte[] event : events) {
                out.writeByteArray(CloudEventBatch.EVENTS_FIELD_NUMBER, event);
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return batch;
    }

    /**
     * A client stream, sent through the route in bursts: each burst is the events that have arrived and not yet been
     * handed on, as one exchange (PublishBatch's path: one read, route, admission and split for all of them). A burst
     * is handed on at once when none is on its way into the route, else as soon as the one before it has been taken,
     * so a trickle goes event by event as before and nothing waits for a batch to fill. At most
     * {@link #STREAM_WINDOW} events are in the route or waiting at once, which also bounds a burst. The call is
     * answered once the client has half-closed and every event has committed, or at the first refusal (events before
     * it may be committed: a retry of the stream is deduplicated); violations name events by their stream position.
     */
    static final class EventStream implements StreamObserver<byte[]> {

        private final DefaultConsumer consumer;
        private final Executor handOff;
        private final Context call;
        private final ServerCallStreamObserver<Empty> response;
        /** Arrived, not yet handed on; always empty while {@link #handing} is false. */
        private List<byte[]> arrived = new ArrayList<>();
        /** Events handed on so far: the stream position of the next burst's first event. */
        private int handed;
        /** A burst is on its way into the route (the hand-off task runs). */
        private boolean handing;
        /** Bursts in the route, not yet ended. */
        private int inRoute;
        private boolean halfClosed;
        private boolean answered;

        EventStream(DefaultConsumer consumer, Executor handOff, ServerCallStreamObserver<Empty> response) {
            this.consumer = consumer;
            this.handOff = handOff;
            this.call = Context.current();
            this.response = response;
            response.setOnCancelHandler(() -> {
            });
            response.disableAutoRequest();
            // the window bounds what a stream holds (arrived and in the route), hence a burst too: memory stays as
            // before, and a burst is below the default batch limit (floe.batch.max-events, 1000): at most one batch
            response.request(STREAM_WINDOW);
        }

        // synchronized, as every method that touches the response: grpc-java's observer takes one caller at a time, and
        // exchanges end on many threads
        @Override
        public synchronized void onNext(byte[] event) {
            if (answered) {
                return;
            }
            arrived.add(event);
            if (handing) {
                return;
            }
            handing = true;
            try {
                // off grpc-java's thread of this call: while a burst goes into the route, the next events arrive
                handOff.execute(this::handOn);
            } catch (RejectedExecutionException e) {
                answered = true;
                arrived = List.of();
                response.onError(Status.UNAVAILABLE.withDescription("Floe is stopping; retry").asRuntimeException());
            }
        }

        /** Hands the arrived events on, a burst at a time, until none is left. */
        private void handOn() {
            while (true) {
                List<byte[]> burst;
                int first;
                synchronized (this) {
                    if (answered || arrived.isEmpty()) {
                        arrived = new ArrayList<>();
                        handing = false;
                        answerIfDone();
                        return;
                    }
                    burst = arrived;
                    arrived = new ArrayList<>();
                    first = handed;
                    handed += burst.size();
                    inRoute++;
                }
                byte[] batch = asBatch(burst);
                call.run(() -> send(consumer, batch, CloudEventMessages.BATCH_PROTOBUF, first,
                        status -> ended(burst.size(), status)));
            }
        }

        private synchronized void ended(int events, StatusRuntimeException status) {
            inRoute--;
            if (answered || response.isCancelled()) {
                return;
            }
            if (status != null) {
                answered = true;
                response.onError(status);
            } else if (!answerIfDone()) {
                response.request(events);
            }
        }

        @Override
        public void onError(Throwable error) {
            // the client cancelled: events already received still go into the route and commit, as for a unary call
        }

        @Override
        public synchronized void onCompleted() {
            halfClosed = true;
            answerIfDone();
        }

        /** Answers OK once the client has half-closed and every event has committed; says whether it did. */
        private boolean answerIfDone() {
            if (answered || !halfClosed || handing || inRoute > 0 || response.isCancelled()) {
                return false;
            }
            answered = true;
            response.onNext(Empty.getDefaultInstance());
            response.onCompleted();
            return true;
        }
    }

    /**
     * Hands the call's Authorization metadata to the route (ingestAuthentication reads it as over HTTP), and puts the
     * committed snapshot's id in the response headers as {@code floe-snapshot-id}.
     */
    static final class CallMetadata implements ServerInterceptor {

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            AtomicReference<String> snapshot = new AtomicReference<>();
            Context context = Context.current().withValues(AUTHORIZATION_VALUE, headers.get(AUTHORIZATION),
                    SNAPSHOT_VALUE, snapshot);
            ServerCall<Q, R> withSnapshot = new SimpleForwardingServerCall<>(call) {

                @Override
                public void sendHeaders(Metadata responseHeaders) {
                    String id = snapshot.get();
                    if (id != null) {
                        responseHeaders.put(SNAPSHOT_ID, id);
                    }
                    super.sendHeaders(responseHeaders);
                }
            };
            return Contexts.interceptCall(context, withSnapshot, headers, next);
        }
    }
}
