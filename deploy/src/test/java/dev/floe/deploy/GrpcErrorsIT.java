package dev.floe.deploy;

import static dev.floe.testing.CloudEventServiceClient.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.floe.grpc.v1.CloudEventServiceGrpc;
import dev.floe.testing.CloudEventServiceClient;
import dev.floe.testing.FaultProxy;
import dev.floe.testing.ProtobufEvents;
import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC status matrix against the packaged application running as its own process, called through the generated
 * stubs: every method answered after its commit, and every status a sender or a fault causes. One process serves every
 * case: Iceberg's REST catalog server behind a {@link FaultProxy} (slow or resetting on demand), static bearer tokens
 * with grants, routing that rejects unmatched types, and a memory budget of {@value #BUDGET} events. Rows are read back
 * with Iceberg's reader straight from the catalog server.
 */
class GrpcErrorsIT {

    static final String SENDER = "deploy-sender-5b2e";
    static final String STRANGER = "deploy-stranger-91fa";
    static final int BUDGET = 64;

    @TempDir
    static Path dir;
    static ProcessRestCatalog catalog;
    static FaultProxy proxy;
    static FloeProcess floe;
    static GrpcClient client;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("tokens"), "sender=" + SENDER + "\nstranger=" + STRANGER + "\n");
        catalog = ProcessRestCatalog.start(dir);
        proxy = FaultProxy.start(catalog.port());
        int port = FloeProcess.freePort();
        floe = FloeProcess.start(dir, "grpc-errors.log", ProcessRestCatalog.floeEnv(proxy.port()), List.of(
                "-Dfloe.grpc.enabled=true", "-Dfloe.grpc.host=127.0.0.1", "-Dfloe.grpc.port=" + port,
                "-Dfloe.http.auth.static-tokens-file=" + dir.resolve("tokens"),
                "-Dfloe.authorization.grants.sender.principal=sender",
                "-Dfloe.authorization.grants.stranger.principal=stranger",
                "-Dfloe.authorization.grants.stranger.sources=/stranger/*",
                "-Dfloe.routing.rules.\"dev.floe.*\"=default.events", "-Dfloe.routing.unmatched=reject",
                "-Dfloe.max-pending-events=" + BUDGET));
        client = new GrpcClient(port);
        // the table exists before any test, and before any fault
        client.blocking(SENDER).publish(event("warm").build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (floe != null) {
            floe.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (catalog != null) {
            catalog.close();
        }
    }

    @AfterEach
    void heal() {
        proxy.heal();
    }

    static CloudEvent.Builder event(String id) {
        return ProtobufEvents.event(id, GrpcClient.SOURCE, GrpcClient.TYPE);
    }

    private static List<Record> rows(String prefix) {
        return catalog.rows().stream().filter(r -> ((String) r.getField("id")).startsWith(prefix)).toList();
    }

    private static List<String> ids(String prefix) {
        return rows(prefix).stream().map(r -> (String) r.getField("id")).toList();
    }

    @Test
    void publishIsAnsweredAfterItsCommitWithEveryColumn() {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        client.blocking(SENDER).withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers,
                new AtomicReference<>())).publish(ProtobufEvents.withEveryAttribute(event("unary")).build());

        // answered means committed: the row is there now, without waiting
        List<Record> rows = rows("unary");
        assertThat(rows).hasSize(1);
        Record row = rows.get(0);
        assertThat(row.getField("source")).isEqualTo(GrpcClient.SOURCE);
        assertThat(row.getField("type")).isEqualTo(GrpcClient.TYPE);
        ProtobufEvents.everyAttributeColumns()
                .forEach((column, value) -> assertThat(row.getField(column)).as(column).isEqualTo(value));
        assertThat(row.getField("ingest_time")).isNotNull();
        List<org.apache.iceberg.Snapshot> snapshots = catalog.snapshots();
        assertThat(headers.get().get(CloudEventServiceClient.SNAPSHOT_ID))
                .isEqualTo(String.valueOf(snapshots.get(snapshots.size() - 1).snapshotId()));
    }

    @Test
    void publishBatchWritesEveryEventOnceAndItsResendNothing() throws Exception {
        List<CloudEvent> batch = List.of(
                event("batch-1").putAttributes("datacontenttype", ProtobufEvents.string("text/plain"))
                        .setTextData("hello").build(),
                event("batch-2").setBinaryData(ByteString.copyFrom(new byte[]{0, 1, 2})).build(),
                event("batch-3").build());
        client.batch(SENDER, batch).get(60, TimeUnit.SECONDS);
        assertThat(ids("batch-")).containsExactlyInAnyOrder("batch-1", "batch-2", "batch-3");
        assertThat(rows("batch-1").get(0).getField("data_bytes")).isEqualTo(ByteBuffer.wrap("hello".getBytes()));
        assertThat(rows("batch-2").get(0).getField("data_bytes")).isEqualTo(ByteBuffer.wrap(new byte[]{0, 1, 2}));
        assertThat(rows("batch-3").get(0).getField("data")).isNull();

        // the client did not see the answer and sends the batch again: answered, nothing written twice
        client.batch(SENDER, batch).get(60, TimeUnit.SECONDS);
        assertThat(ids("batch-")).containsExactlyInAnyOrder("batch-1", "batch-2", "batch-3");
    }

    @Test
    void publishStreamIsAnsweredOnceEveryEventHasCommitted() throws Exception {
        List<CloudEvent> events = GrpcClient.events("stream-", BUDGET - 4);
        client.stream(SENDER, events).get(60, TimeUnit.SECONDS);
        assertThat(ids("stream-")).containsExactlyInAnyOrderElementsOf(GrpcClient.ids(events));
    }

    @Test
    void invalidEventsAreInvalidArgumentNamingEveryViolationAndWriteNothing() {
        StatusRuntimeException invalid = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> client.blocking(SENDER).publish(CloudEvent.newBuilder().setId("invalid-1")
                        .setSource(GrpcClient.SOURCE).putAttributes("time", ProtobufEvents.string("yesterday"))
                        .build()));
        assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(CloudEventServiceClient.violations(invalid)).containsExactlyInAnyOrder("specversion", "type",
                "time");

        StatusRuntimeException batch = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> client.blocking(SENDER).publishBatch(CloudEventServiceClient.batch(List.of(
                        event("invalid-2").build(), event("invalid-3").setType("")
                                .putAttributes("time", ProtobufEvents.string("yesterday")).build()))));
        assertThat(batch.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(CloudEventServiceClient.violations(batch)).containsExactlyInAnyOrder("/1/type", "/1/time");

        // bytes that are no CloudEventBatch: a field 1 that claims more bytes than follow
        assertThat(code(() -> CloudEventServiceClient.publishBatchBytes(client.as(SENDER),
                CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), new byte[]{0x0a, 0x05, 0x01})))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);

        // a batch is all or nothing; the marker's commit comes after anything the refused calls could have written
        client.blocking(SENDER).publish(event("invalid-marker").build());
        assertThat(ids("invalid-")).containsExactly("invalid-marker");
    }

    @Test
    void anEventNoRoutingRuleTakesIsFailedPrecondition() {
        assertThat(code(() -> client.blocking(SENDER).publish(event("unroutable-1").setType("com.example.unknown")
                .build()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        client.blocking(SENDER).publish(event("unroutable-marker").build());
        assertThat(ids("unroutable-")).containsExactly("unroutable-marker");
    }

    @Test
    void tokensAndGrantsAreUnauthenticatedAndPermissionDenied() {
        assertThat(code(() -> client.blocking(null).publish(event("auth-anonymous").build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(code(() -> client.blocking("not-a-token").publish(event("auth-wrong").build())))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(code(() -> client.blocking(STRANGER).publish(event("auth-stranger").build())))
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThatThrownBy(() -> client.stream(STRANGER, GrpcClient.events("auth-stream-", 3)).get(60,
                TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));

        // the stranger may send its own sources
        client.blocking(STRANGER).publish(event("auth-own").setSource("/stranger/app").build());
        assertThat(ids("auth-")).containsExactly("auth-own");
    }

    /**
     * Memory budget full: the proxy delays the catalog 1 s each way, so one event waits seconds for its commit; a batch
     * of {@value #BUDGET} more does not fit beside it and is refused at once. Once the catalog is fast again the
     * resend is taken.
     */
    @Test
    void slowCatalogFillsTheBudgetAndABatchIsResourceExhausted() throws Exception {
        proxy.delay(1_000);
        CompletableFuture<Empty> held = client.batch(SENDER, List.of(event("budget-held").build()));
        await().atMost(Duration.ofSeconds(30)).until(() -> floe.metric("floe_events_pending", "") >= 1);
        List<CloudEvent> batch = GrpcClient.events("budget-batch-", BUDGET);
        assertThatThrownBy(() -> client.batch(SENDER, batch).get(60, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        held.get(60, TimeUnit.SECONDS);

        proxy.heal();
        client.batch(SENDER, batch).get(60, TimeUnit.SECONDS);
        List<String> expected = new ArrayList<>(GrpcClient.ids(batch));
        expected.add("budget-held");
        assertThat(ids("budget-")).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * Commit failed: the proxy resets every connection to the catalog. The call is UNAVAILABLE and nothing of it is
     * stored; with the catalog back, the resend is written once.
     */
    @Test
    void catalogConnectionsResetByTheProxyAreUnavailableAndTheResendLandsOnce() {
        proxy.mode(FaultProxy.Mode.RESET);
        assertThat(code(() -> client.blocking(SENDER).publish(event("reset-1").build())))
                .isEqualTo(Status.Code.UNAVAILABLE);
        proxy.heal();
        assertThat(ids("reset-")).as("nothing of the refused call").isEmpty();

        client.blocking(SENDER).publish(event("reset-1").build());
        assertThat(ids("reset-")).containsExactly("reset-1");
    }

    /**
     * Deadline before the commit: the proxy delays the catalog 1 s each way and the client gives the call 1 s. The
     * client gets DEADLINE_EXCEEDED; the event, admitted, is committed all the same, once; its resend (same source and
     * id) is answered and deduplicated.
     */
    @Test
    void deadlineShorterThanTheSlowedCommitLosesNothingAndTheResendIsDeduplicated() {
        proxy.delay(1_000);
        assertThat(code(() -> CloudEventServiceGrpc.newBlockingStub(client.as(SENDER))
                .withDeadlineAfter(1, TimeUnit.SECONDS).publish(event("deadline-1").build())))
                .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> ids("deadline-").contains("deadline-1"));
        proxy.heal();

        client.blocking(SENDER).publish(event("deadline-1").build());
        assertThat(ids("deadline-")).containsExactly("deadline-1");
    }
}
