package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.floe.testing.ArtemisBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AMQP with real process deaths: Floe runs as its own JVM (the packaged fast-jar) against a persistent Artemis broker,
 * dies by SIGKILL mid-batch or halts after a commit before settling its messages, and is started again. The broker
 * delivers the unsettled messages again, and the table holds every event exactly once.
 */
class AmqpProcessIT {

    static final String QUEUE = "crash";

    @TempDir
    Path dir;
    ArtemisBroker broker;

    @BeforeEach
    void startBroker() {
        broker = ArtemisBroker.start(dir.resolve("artemis"));
    }

    @AfterEach
    void stopBroker() throws Exception {
        broker.close();
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(new ProcessTable(dir).catalogEnv());
        env.putAll(Map.of("FLOE_AMQP_ENABLED", "true", "FLOE_AMQP_URL", broker.url(), "FLOE_AMQP_QUEUE", QUEUE));
        return env;
    }

    private void send(int n) {
        List<byte[]> bodies = new ArrayList<>();
        List<Map<String, Object>> props = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bodies.add(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            props.add(Map.of("cloudEvents:specversion", "1.0", "cloudEvents:id", "m-" + i,
                    "cloudEvents:source", "/crash/amqp", "cloudEvents:type", "dev.floe.crash"));
            types.add("application/json");
        }
        broker.send(QUEUE, bodies, props, types);
    }

    private List<String> ids() {
        return new ProcessTable(dir).ids();
    }

    private static List<String> expected(int n) {
        return ProcessTable.numbered("m-", n);
    }

    static double received(FloeProcess floe) {
        return floe.received("amqp-to-iceberg");
    }

    private void restartAndExpectExactly(int n, String log) throws Exception {
        try (FloeProcess again = FloeProcess.start(dir, log, env(), List.of("-Dfloe.batch.max-wait-ms=300"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> ids().size() >= n && broker.messageCount(QUEUE) == 0);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> ids().size() == n);
            assertThat(ids()).hasSize(n).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected(n));
        }
    }

    @Test
    void killedMidBatchBeforeTheCommit() throws Exception {
        int n = 1500;
        send(n);
        // batches of 1,000 commit; the last 500 wait in memory (ten minutes), unsettled, when the kill comes
        try (FloeProcess floe = FloeProcess.start(dir, "amqp-crash-mid-batch-1.log", env(),
                List.of("-Dfloe.batch.max-events=1000", "-Dfloe.batch.max-wait-ms=600000"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> received(floe) >= n && ids().size() >= 1000);
            floe.process.destroyForcibly(); // SIGKILL
            assertThat(floe.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ids()).as("rows before the restart").hasSize(1000);
        // the 500 of the batch in memory were never settled (settlements of the committed 1,000 may have been cut
        // short too: those come back and are dropped as duplicates)
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.messageCount(QUEUE) >= 500);
        restartAndExpectExactly(n, "amqp-crash-mid-batch-2.log");
    }

    @Test
    void sigtermCommitsTheBatchInMemoryAndItsRedeliveriesAreDropped() throws Exception {
        int n = 300;
        send(n);
        try (FloeProcess floe = FloeProcess.start(dir, "amqp-sigterm.log", env(),
                List.of("-Dfloe.batch.max-wait-ms=600000"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> received(floe) >= n);
            assertThat(ids()).as("held in memory, not committed yet").isEmpty();
            floe.process.destroy(); // SIGTERM
            assertThat(floe.process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        }
        assertThat(ids()).as("committed on the way down").hasSize(n);
        // Camel's JMS consumer closes its connection before that commit, so the broker delivers those messages again:
        // the next run must drop them (the dedup window is read back from the table) and settle them
        restartAndExpectExactly(n, "amqp-sigterm-2.log");
    }

    @Test
    void haltedAfterTheCommitBeforeSettlement() throws Exception {
        int n = 1200;
        send(n);
        FloeProcess.runUntilCrashAfterCommit(dir, "amqp-crash-after-commit-1.log", env(),
                List.of("-Dfloe.batch.max-events=500"));
        // the table holds a commit whose messages were never settled: the broker still has them all
        assertThat(ids()).isNotEmpty();
        // (the broker puts a dead consumer's deliveries back one by one)
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.messageCount(QUEUE) == n);
        restartAndExpectExactly(n, "amqp-crash-after-commit-2.log");
    }
}
