package dev.floe.app.grpc;

import static dev.floe.testing.CloudEventServiceClient.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.floe.app.Tables;
import dev.floe.grpc.v1.CloudEventBatch;
import dev.floe.grpc.v1.CloudEventServiceGrpc;
import dev.floe.grpc.v1.CloudEventServiceGrpc.CloudEventServiceBlockingStub;
import dev.floe.testing.CloudEventServiceClient;
import dev.floe.testing.ProtobufEvents;
import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.apache.iceberg.data.Record;
import org.awaitility.Awaitility;
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

    /** The generated blocking stub, sending this token (none when null), answering within 60 s. */
    static CloudEventServiceBlockingStub as(String token) {
        return CloudEventServiceGrpc.newBlockingStub(CloudEventServiceClient.withToken(channel, token))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    static Empty publish(CloudEvent event) {
        return as(GrpcResource.SENDER_TOKEN).publish(event);
    }

    static CloudEvent.Builder event(String id) {
        return ProtobufEvents.event(id, "/tests/grpc", "dev.floe.grpc.test");
    }

    private List<Record> rows(String prefix) {
        return Tables.rowsWithIdPrefix(catalog, TABLE, prefix);
    }

    @Test
    void publishAnswersAfterTheCommitWithEveryColumn() {
        String id = "unary-" + UUID.randomUUID();
        AtomicReference<Metadata> answerHeaders = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        as(GrpcResource.SENDER_TOKEN)
                .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(answerHeaders, trailers))
                .publish(ProtobufEvents.withEveryAttribute(event(id)).build());

        // answered means committed: the row is there now, without waiting
        List<Record> rows = rows(id);
        assertThat(rows).hasSize(1);
        Record row = rows.get(0);
        assertThat(row.getField("source")).isEqualTo("/tests/grpc");
        assertThat(row.getField("type")).isEqualTo("dev.floe.grpc.test");
        ProtobufEvents.everyAttributeColumns()
                .forEach((column, value) -> assertThat(row.getField(column)).as(column).isEqualTo(value));
        assertThat(row.getField("ingest_time")).isNotNull();
        assertThat(answerHeaders.get().get(CloudEventServiceClient.SNAPSHOT_ID))
                .isEqualTo(String.valueOf(catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.parse(TABLE))
                        .currentSnapshot().snapshotId()));
    }

    @Test
    void publishBatchWritesEveryEventOnce() throws Exception {
        String prefix = "batch-" + UUID.randomUUID();
        CloudEventBatch body = CloudEventServiceClient.batch(List.of(
                event(prefix + "-1").putAttributes("datacontenttype", ProtobufEvents.string("text/plain"))
                        .setTextData("hello").build(),
                event(prefix + "-2").setBinaryData(ByteString.copyFrom(new byte[]{0, 1, 2})).build(),
                event(prefix + "-3").build()));
        as(GrpcResource.SENDER_TOKEN).publishBatch(body);
        assertThat(rows(prefix)).hasSize(3);
        assertThat(rows(prefix + "-1").get(0).getField("data_bytes")).isEqualTo(ByteBuffer.wrap("hello".getBytes()));
        assertThat(rows(prefix + "-2").get(0).getField("data_bytes")).isEqualTo(ByteBuffer.wrap(new byte[]{0, 1, 2}));
        assertThat(rows(prefix + "-3").get(0).getField("data")).isNull();

        // the client did not see the answer and sends the batch again: answered, and nothing written twice
        as(GrpcResource.SENDER_TOKEN).publishBatch(body);
        assertThat(rows(prefix)).hasSize(3);
    }

    /** Sends the events on one client stream and waits for the one answer. */
    private CompletableFuture<Empty> stream(List<CloudEvent> events) {
        return CloudEventServiceClient.publishStream(CloudEventServiceGrpc
                .newStub(CloudEventServiceClient.withToken(channel, GrpcResource.SENDER_TOKEN))
                .withDeadlineAfter(120, TimeUnit.SECONDS), events);
    }

    @Test
    void publishStreamAnswersOnceEveryEventHasCommitted() throws Exception {
        String prefix = "stream-" + UUID.randomUUID();
        List<CloudEvent> events = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> event(prefix + "-" + i).setBinaryData(ByteString.copyFromUtf8("e" + i)).build())
                .toList();
        stream(events).get(120, TimeUnit.SECONDS);
        // more events than the stream window and the memory budget (floe.max-pending-events): flow control held the
        // client back, and every event is there once
        assertThat(rows(prefix)).extracting(r -> r.getField("id"))
                .containsExactlyInAnyOrderElementsOf(events.stream().map(CloudEvent::getId).toList());
    }

    @Test
    void anInvalidEventInAStreamFailsItWithTheViolations() {
        String prefix = "badstream-" + UUID.randomUUID();
        CompletableFuture<Empty> answer = stream(List.of(event(prefix + "-1").build(),
                event(prefix + "-2").setSpecVersion("0.3").build()));
        assertThatThrownBy(() -> answer.get(60, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    // named by its position in the stream
                    assertThat(CloudEventServiceClient.violations(e)).containsExactly("/1/specversion");
                });
    }

    /** A stream left open, its events sent when the test says, answered into the future. */
    private StreamObserver<CloudEvent> openStream(CompletableFuture<Empty> answer) {
        return CloudEventServiceGrpc.newStub(CloudEventServiceClient.withToken(channel, GrpcResource.SENDER_TOKEN))
                .withDeadlineAfter(120, TimeUnit.SECONDS).publishStream(CloudEventServiceClient.answerTo(answer));
    }

    @Test
    void aStreamWhoseEventsArriveInSeveralBurstsWritesEachOnce() throws Exception {
        String prefix = "bursts-" + UUID.randomUUID();
        CompletableFuture<Empty> answer = new CompletableFuture<>();
        StreamObserver<CloudEvent> requests = openStream(answer);
        List<String> sent = new java.util.ArrayList<>();
        for (int burst = 0; burst < 3; burst++) {
            // each group is sent only once the previous one is in the table: it cannot share a burst with it
            for (int i = 0; i < 5 + burst * 20; i++) {
                String id = prefix + "-" + burst + "-" + i;
                requests.onNext(event(id).build());
                sent.add(id);
            }
            int expected = sent.size();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> rows(prefix).size() == expected);
            assertThat(answer).isNotDone();
        }
        requests.onCompleted();
        answer.get(60, TimeUnit.SECONDS);
        assertThat(rows(prefix)).extracting(r -> r.getField("id")).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void aViolationInALaterBurstNamesItsPositionInTheStream() throws Exception {
        String prefix = "laterburst-" + UUID.randomUUID();
        CompletableFuture<Empty> answer = new CompletableFuture<>();
        StreamObserver<CloudEvent> requests = openStream(answer);
        for (int i = 0; i < 7; i++) {
            requests.onNext(event(prefix + "-" + i).build());
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> rows(prefix).size() == 7);
        // events 7 and 8 of the stream: the second is invalid twice over
        requests.onNext(event(prefix + "-7").build());
        requests.onNext(event(prefix + "-8").setType("").putAttributes("time", ProtobufEvents.string("yesterday"))
                .build());
        requests.onCompleted();
        assertThatThrownBy(() -> answer.get(60, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(CloudEventServiceClient.violations(e)).containsExactlyInAnyOrder("/8/type", "/8/time");
                });
        // the events committed before the refusal stay; the refused one is not written
        publish(event("marker-" + prefix).build());
        assertThat(rows(prefix)).extracting(r -> (String) r.getField("id")).doesNotContain(prefix + "-8")
                .contains(prefix + "-0", prefix + "-6");
    }

    @Test
    void anInvalidEventIsInvalidArgumentListingEveryViolation() throws Exception {
        String id = "invalid-" + UUID.randomUUID();
        CloudEvent invalid = CloudEvent.newBuilder().setId(id).setSource("/tests/grpc")
                .putAttributes("time", ProtobufEvents.string("yesterday")).build();
        StatusRuntimeException error = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> publish(invalid));
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(CloudEventServiceClient.violations(error)).containsExactlyInAnyOrder("specversion", "type", "time");

        CloudEventBatch badBatch = CloudEventServiceClient
                .batch(List.of(event(id + "-ok").build(), event(id + "-bad").setType("").build()));
        StatusRuntimeException batchError = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class, () -> as(GrpcResource.SENDER_TOKEN).publishBatch(badBatch));
        assertThat(CloudEventServiceClient.violations(batchError)).containsExactly("/1/type");
        // bytes that are no CloudEventBatch at all: a field 1 that claims more bytes than follow
        assertThat(code(() -> CloudEventServiceClient.publishBatchBytes(
                CloudEventServiceClient.withToken(channel, GrpcResource.SENDER_TOKEN),
                CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), new byte[]{0x0a, 0x05, 0x01})))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        // a batch is all or nothing
        publish(event("marker-" + id).build());
        assertThat(rows(id)).isEmpty();
    }

    @Test
    void senderErrorsHaveTheirStatusCodes() throws Exception {
        String id = "refused-" + UUID.randomUUID();
        assertThat(code(() -> publish(event(id + "-notype").setType("com.example.unknown").build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(() -> as(null).publish(event(id + "-anon").build()))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(code(() -> as("not-a-token").publish(event(id + "-wrong").build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(code(() -> as(GrpcResource.STRANGER_TOKEN).publish(event(id + "-stranger").build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        // over floe.limits.max-attribute-bytes (2048): refused by the reader, as HTTP refuses it with a 413
        assertThat(code(() -> publish(
                event(id + "-long").putAttributes("subject", ProtobufEvents.string("s".repeat(3000))).build())))
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        // over floe.grpc.max-message-size (1 MiB): refused by the server before the route sees it
        CloudEventBatch huge = CloudEventServiceClient.batch(
                List.of(event(id + "-huge").setBinaryData(ByteString.copyFrom(new byte[1_100_000])).build()));
        assertThat(code(() -> as(GrpcResource.SENDER_TOKEN).publishBatch(huge)))
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

        // the stranger may send its own sources
        as(GrpcResource.STRANGER_TOKEN).publish(event(id + "-own").setSource("/stranger/app").build());
        assertThat(rows(id)).extracting(r -> r.getField("id")).containsExactly(id + "-own");
    }

    @Test
    void aDeadlineShorterThanACommitLosesNothingAndARetryWritesOnce() {
        String id = "deadline-" + UUID.randomUUID();
        // writing and committing a batch takes longer than 20 ms: the client gives up first, whether or not the event
        // got into the route (if it did, it is committed all the same)
        assertThat(code(() -> CloudEventServiceGrpc
                .newBlockingStub(CloudEventServiceClient.withToken(channel, GrpcResource.SENDER_TOKEN))
                .withDeadlineAfter(20, TimeUnit.MILLISECONDS).publish(event(id).build())))
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
