package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Empty;
import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC rows of the fault matrix, against the packaged application running as its own process: SIGKILL with a
 * client stream held in a batch, and a halt after the commit before the answer. Each test ends with the table read
 * back with Iceberg's reader: every acknowledged event once, and after the clients resend what was not acknowledged,
 * every event once.
 */
class GrpcFaultsIT {

    static final String ROUTE = "grpc-to-iceberg";

    @TempDir
    Path dir;

    /** A batch completes on its 50th event only, never on time. */
    private static final List<String> BATCH_OF_FIFTY = List.of("-Dfloe.batch.max-events=50",
            "-Dfloe.batch.max-wait-ms=600000");
    private static final List<String> DEFAULT_BATCHES = List.of();

    private static List<String> grpcOn(int port, List<String> batches) {
        List<String> properties = new ArrayList<>(List.of("-Dfloe.grpc.enabled=true", "-Dfloe.grpc.port=" + port));
        properties.addAll(batches);
        return properties;
    }

    /**
     * SIGKILL mid-stream: one stream of 50 events is committed and answered; a second stream of 30 is half-closed and
     * held in a batch that would wait ten minutes when the process is killed. The first stream's events are in the
     * table, none of the second's; its call fails. Floe starts again, the client sends the second stream again, and
     * every event is in the table once.
     */
    @Test
    void sigkillMidStreamKeepsWhatWasAcknowledgedAndTheResentStreamLandsOnce() throws Exception {
        ProcessTable table = new ProcessTable(dir);
        List<CloudEvent> acknowledged = GrpcClient.events("acked-", 50);
        List<CloudEvent> held = GrpcClient.events("held-", 30);
        int port = FloeProcess.freePort();
        try (FloeProcess floe = FloeProcess.start(dir, "grpc-faults-sigkill-mid-stream-1.log", table.catalogEnv(),
                grpcOn(port, BATCH_OF_FIFTY)); GrpcClient client = new GrpcClient(port)) {
            client.stream(acknowledged).get(60, TimeUnit.SECONDS);
            CompletableFuture<Empty> inFlight = client.stream(held);
            await().atMost(Duration.ofSeconds(30)).until(() -> floe.received(ROUTE) >= 80);
            assertThat(inFlight).isNotDone();

            floe.process.destroyForcibly(); // SIGKILL
            assertThat(floe.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> inFlight.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(StatusRuntimeException.class);
        }
        assertThat(table.ids()).as("what was acknowledged before the kill, and nothing else")
                .containsExactlyInAnyOrderElementsOf(GrpcClient.ids(acknowledged));

        try (FloeProcess again = FloeProcess.start(dir, "grpc-faults-sigkill-mid-stream-2.log", table.catalogEnv(),
                grpcOn(port, DEFAULT_BATCHES)); GrpcClient client = new GrpcClient(port)) {
            // a client that cannot tell sends both streams again: the first one is deduplicated
            CompletableFuture<Empty> resent = client.stream(held);
            client.stream(acknowledged).get(60, TimeUnit.SECONDS);
            resent.get(60, TimeUnit.SECONDS);
        }
        List<String> all = new ArrayList<>(GrpcClient.ids(acknowledged));
        all.addAll(GrpcClient.ids(held));
        assertThat(table.ids()).as("each event once").containsExactlyInAnyOrderElementsOf(all);
    }

    /**
     * Halt after the commit, before the answer: with FLOE_TEST_CRASH_POINT=after-table-commit the JVM halts once the
     * batch holding a 50-event PublishBatch has committed and before the call is answered. The call fails although its
     * events are in the table; the client sends the batch again to the restarted Floe, which answers it and writes
     * nothing twice.
     */
    @Test
    void haltAfterTheCommitBeforeTheAnswerAndTheResentBatchIsDeduplicated() throws Exception {
        ProcessTable table = new ProcessTable(dir);
        List<CloudEvent> events = GrpcClient.events("committed-", 50);
        int port = FloeProcess.freePort();
        Map<String, String> crashing = new HashMap<>(table.catalogEnv());
        crashing.put("FLOE_TEST_CRASH_POINT", "after-table-commit");
        try (FloeProcess floe = FloeProcess.start(dir, "grpc-faults-halt-after-commit-1.log", crashing,
                grpcOn(port, BATCH_OF_FIFTY)); GrpcClient client = new GrpcClient(port)) {
            CompletableFuture<Empty> inFlight = client.batch(events);
            assertThat(floe.process.waitFor(60, TimeUnit.SECONDS)).as("halted at the crash point").isTrue();
            assertThat(floe.process.exitValue()).isEqualTo(137);
            assertThatThrownBy(() -> inFlight.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(StatusRuntimeException.class);
        }
        assertThat(table.ids()).as("committed before the halt").containsExactlyInAnyOrderElementsOf(
                GrpcClient.ids(events));

        try (FloeProcess again = FloeProcess.start(dir, "grpc-faults-halt-after-commit-2.log", table.catalogEnv(),
                grpcOn(port, DEFAULT_BATCHES)); GrpcClient client = new GrpcClient(port)) {
            client.batch(events).get(60, TimeUnit.SECONDS);
        }
        assertThat(table.ids()).as("each event once").containsExactlyInAnyOrderElementsOf(GrpcClient.ids(events));
    }
}
