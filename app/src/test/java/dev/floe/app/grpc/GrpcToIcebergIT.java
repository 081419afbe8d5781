package dev.floe.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import dev.floe.app.Tables;
import dev.floe.testing.CloudEventServiceClient;
import io.cloudevents.v1.proto.CloudEvent;
import io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gRPC route end to end: a real grpc-java client over HTTP/2 to the camel-grpc server of routes/grpc-to-iceberg.yaml,
 * a real JDBC catalog on SQLite, and rows read back with IcebergGenerics. Every method, every status a sender can cause.
 */
@QuarkusTest
@TestProfile(GrpcToIcebergIT.Enabled.class)
class GrpcToIcebergIT {

    public static class Enabled implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(GrpcResource.class));
        }
    }

    static final String TABLE = "grpc.events";

    /** The client's view of the service: what a stub generated from the service's .proto would hold. */
    static final MethodDescriptor<CloudEvent, Empty> PUBLISH = CloudEventServiceClient.PUBLISH;
    /** A batch is sent as the bytes of a CloudEventBatch, as the service reads it. */
    static final MethodDescriptor<byte[], Empty> PUBLISH_BATCH = CloudEventServiceClient.PUBLISH_BATCH;

    static ManagedChannel channel;

    @Inject
    Catalog catalog;
    @ConfigProperty(name = "floe.data-dir")
    String dataDir;

    @BeforeAll
    static void connect() {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", GrpcResource.port).usePlaintext().build();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    static io.grpc.Channel authorized(String token) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    static Empty publish(CloudEvent event, String token, CallOptions options) {
        return ClientCalls.blockingUnaryCall(authorized(token), PUBLISH, options, event);
    }

    static Empty publish(CloudEvent event) {
        return publish(event, GrpcResource.SENDER_TOKEN, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS));
    }

    static CloudEvent.Builder event(String id) {
        return CloudEvent.newBuilder().setSpecVersion("1.0").setId(id).setSource("/tests/grpc")
                .setType("dev.floe.grpc.test");
    }

    static CloudEventAttributeValue string(String value) {
        return CloudEventAttributeValue.newBuilder().setCeString(value).build();
    }

    static byte[] batch(List<CloudEvent> events) {
        return CloudEventServiceClient.batch(events);
    }

    private List<Record> rows(String prefix) {
        return Tables.rowsWithIdPrefix(catalog, TABLE, prefix);
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void publishAnswersAfterTheCommitWithEveryColumn() {
        String id = "unary-" + UUID.randomUUID();
        AtomicReference<Metadata> answerHeaders = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        io.grpc.Channel capturing = ClientInterceptors.intercept(authorized(GrpcResource.SENDER_TOKEN),
                MetadataUtils.newCaptureMetadataInterceptor(answerHeaders, trailers));
        ClientCalls.blockingUnaryCall(capturing, PUBLISH, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
                event(id)
                        .putAttributes("subject", string("order-9"))
                        .putAttributes("time", CloudEventAttributeValue.newBuilder()
                                .setCeTimestamp(Timestamp.newBuilder().setSeconds(1_767_225_600L).setNanos(250_000_000))
                                .build())
                        .putAttributes("dataschema", CloudEventAttributeValue.newBuilder()
                                .setCeUri("https://example.com/order.json").build())
                        .putAttributes("datacontenttype", string("application/json"))
                        .putAttributes("traceparent", string("00-abc"))
                        .putAttributes("attempt", CloudEventAttributeValue.newBuilder().setCeInteger(2).build())
                        .setTextData("{\"amount\":12.5}").build());

        // answered means committed: the row is there now, without waiting
        List<Record> rows = rows(id);
        assertThat(rows).hasSize(1);
        Record row = rows.get(0);
        assertThat(row.getField("source")).isEqualTo("/tests/grpc");
        assertThat(row.getField("specversion")).isEqualTo("1.0");
        assertThat(row.getField("type")).isEqualTo("dev.floe.grpc.test");
        assertThat(row.getField("subject")).isEqualTo("order-9");
        assertThat(row.getField("time")).isEqualTo(OffsetDateTime.parse("2026-01-01T00:00:00.25Z"));
        assertThat(row.getField("datacontenttype")).isEqualTo("application/json");
        assertThat(row.getField("dataschema")).isEqualTo("https://example.com/order.json");
        assertThat(row.getField("extensions")).isEqualTo(Map.of("traceparent", "00-abc", "attempt", "2"));
        assertThat(row.getField("data")).isEqualTo("{\"amount\":12.5}");
        assertThat(row.getField("data_bytes")).isNull();
        assertThat(row.getField("ingest_time")).isNotNull();
        assertThat(answerHeaders.get().get(Metadata.Key.of("floe-snapshot-id", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo(String.valueOf(catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.parse(TABLE))
                        .currentSnapshot().snapshotId()));
    }

    @Test
    void publishBatchWritesEveryEventOnce() throws Exception {
        String prefix = "batch-" + UUID.randomUUID();
        byte[] body = batch(List.of(
                event(prefix + "-1").putAttributes("datacontenttype", string("text/plain")).setTextData("hello")
                        .build(),
                event(prefix + "-2").setBinaryData(ByteString.copyFrom(new byte[]{0, 1, 2})).build(),
                event(prefix + "-3").build()));
        ClientCalls.blockingUnaryCall(authorized(GrpcResource.SENDER_TOKEN), PUBLISH_BATCH,
                CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), body);
        assertThat(rows(prefix)).hasSize(3);
        assertThat(rows(prefix + "-1").get(0).getField("data_bytes")).isEqualTo(ByteBuffer.wrap("hello".getBytes()));
        assertThat(rows(prefix + "-2").get(0).getField("data_bytes")).isEqualTo(ByteBuffer.wrap(new byte[]{0, 1, 2}));
        assertThat(rows(prefix + "-3").get(0).getField("data")).isNull();

        // the client did not see the answer and sends the batch again: answered, and nothing written twice
        ClientCalls.blockingUnaryCall(authorized(GrpcResource.SENDER_TOKEN), PUBLISH_BATCH,
                CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), body);
        assertThat(rows(prefix)).hasSize(3);
    }

    /** Sends the events on one client stream and waits for the one answer. */
    private CompletableFuture<Empty> stream(List<CloudEvent> events) {
        return CloudEventServiceClient.publishStream(authorized(GrpcResource.SENDER_TOKEN),
                CallOptions.DEFAULT.withDeadlineAfter(120, TimeUnit.SECONDS), events);
    }

    @Test
    void publishStreamAnswersOnceEveryEventHasCommitted() throws Exception {
        String prefix = "stream-" + UUID.randomUUID();
        List<CloudEvent> events = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> event(prefix + "-" + i).setBinaryData(ByteString.copyFromUtf8("e" + i)).build())
                .toList();
        stream(events).get(120, TimeUnit.SECONDS);
        // more events than the stream window and the memory budget (floe.max-pending-events): flow control held the
        // client back
        assertThat(rows(prefix)).hasSize(1000);
    }

    @Test
    void anInvalidEventInAStreamFailsItWithTheViolations() {
        String prefix = "badstream-" + UUID.randomUUID();
        CompletableFuture<Empty> answer = stream(List.of(event(prefix + "-1").build(),
                event(prefix + "-2").setSpecVersion("0.3").build()));
        assertThatThrownBy(() -> answer.get(60, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void anInvalidEventIsInvalidArgumentListingEveryViolation() throws Exception {
        String id = "invalid-" + UUID.randomUUID();
        CloudEvent invalid = CloudEvent.newBuilder().setId(id).setSource("/tests/grpc")
                .putAttributes("time", string("yesterday")).build();
        StatusRuntimeException error = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> publish(invalid));
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        com.google.rpc.Status detail = StatusProto.fromThrowable(error);
        assertThat(detail).isNotNull();
        BadRequest violations = detail.getDetails(0).unpack(BadRequest.class);
        assertThat(violations.getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
                .containsExactlyInAnyOrder("specversion", "type", "time");

        byte[] badBatch = batch(List.of(event(id + "-ok").build(), event(id + "-bad").setType("").build()));
        StatusRuntimeException batchError = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(authorized(GrpcResource.SENDER_TOKEN), PUBLISH_BATCH,
                        CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), badBatch));
        assertThat(StatusProto.fromThrowable(batchError).getDetails(0).unpack(BadRequest.class)
                .getFieldViolations(0).getField()).isEqualTo("/1/type");
        // a batch is all or nothing
        publish(event("marker-" + id).build());
        assertThat(rows(id)).isEmpty();
    }

    @Test
    void senderErrorsHaveTheirStatusCodes() throws Exception {
        String id = "refused-" + UUID.randomUUID();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS);
        assertThat(code(() -> publish(event(id + "-notype").setType("com.example.unknown").build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(() -> publish(event(id + "-anon").build(), null, options)))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(code(() -> publish(event(id + "-wrong").build(), "not-a-token", options)))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(code(() -> publish(event(id + "-stranger").build(), GrpcResource.STRANGER_TOKEN, options)))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        // over floe.limits.max-attribute-bytes (2048): refused by the reader, as HTTP refuses it with a 413
        assertThat(code(() -> publish(event(id + "-long").putAttributes("subject", string("s".repeat(3000))).build())))
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        // over floe.grpc.max-message-size (1 MiB): refused by the server before the route sees it
        byte[] huge = batch(
                List.of(event(id + "-huge").setBinaryData(ByteString.copyFrom(new byte[1_100_000])).build()));
        assertThat(code(() -> ClientCalls.blockingUnaryCall(authorized(GrpcResource.SENDER_TOKEN), PUBLISH_BATCH,
                options, huge))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

        // the stranger may send its own sources
        publish(event(id + "-own").setSource("/stranger/app").build(), GrpcResource.STRANGER_TOKEN, options);
        assertThat(rows(id)).extracting(r -> r.getField("id")).containsExactly(id + "-own");
    }

    @Test
    void aDeadlineShorterThanACommitLosesNothingAndARetryWritesOnce() {
        String id = "deadline-" + UUID.randomUUID();
        // writing and committing a batch takes longer than 20 ms: the client gives up first, whether or not the event
        // got into the route (if it did, it is committed all the same)
        assertThat(code(() -> publish(event(id).build(), GrpcResource.SENDER_TOKEN,
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.MILLISECONDS))))
                .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        publish(event(id).build());
        assertThat(rows(id)).hasSize(1);
    }

    @Test
    void aFailedCommitIsUnavailableAndWritesNothingThenRecovers() throws Exception {
        publish(event("warm-" + UUID.randomUUID()).build());
        String id = "outage-" + UUID.randomUUID();
        // another process's exclusive transaction on the catalog's database: every commit fails for real
        String url = "jdbc:sqlite:" + java.nio.file.Path.of(dataDir, "catalog.db").toAbsolutePath();
        try (java.sql.Connection lock = java.sql.DriverManager.getConnection(url);
                java.sql.Statement st = lock.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            assertThat(code(() -> publish(event(id).build()))).isEqualTo(Status.Code.UNAVAILABLE);
            st.execute("ROLLBACK");
        }
        assertThat(rows(id)).isEmpty();
        publish(event(id).build());
        assertThat(rows(id)).hasSize(1);
    }
}
