package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static dev.floe.deploy.KafkaEvents.expected;
import static dev.floe.deploy.KafkaEvents.floeEnv;
import static dev.floe.deploy.KafkaEvents.group;
import static dev.floe.deploy.KafkaEvents.produce;
import static dev.floe.deploy.KafkaEvents.received;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.floe.testing.KafkaBroker;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Floe as its own JVM (the packaged fast-jar) against a real Kafka broker. Exactly once with real process deaths: it
 * is killed with SIGKILL (or halts at a crash point) and started again, and the table then holds every event exactly
 * once. Drain mode: it exits 0 once the topic is in the table.
 */
class KafkaProcessIT {

    static final String TABLE = "default.events";
    static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() {
        broker = KafkaBroker.start();
    }

    /** A producer per test: one kept across tests once left a new topic's partition unsent for 120 s. */
    @AfterEach
    void closeProducer() {
        broker.closeProducer();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        broker.close();
    }

    private Map<String, String> env(String topic) {
        return floeEnv(dir, broker, topic);
    }

    /** True while the stream runs; what stopped it (a refused send), if it stopped. */
    private static boolean streaming(ScheduledFuture<?> stream) throws Exception {
        if (stream.isDone()) {
            stream.get();
        }
        return true;
    }

    private List<String> ids() {
        return new ProcessTable(dir).ids();
    }

    private void restartAndExpectExactly(String topic, int n, String log) throws Exception {
        try (FloeProcess again = FloeProcess.start(dir, log, env(topic),
                List.of("-Dfloe.kafka.batch.max-wait-ms=300"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> ids().size() >= n);
            // and it stays so: no duplicates trickle in late
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> ids().size() == n);
            assertThat(ids()).hasSize(n).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected(n));
        }
    }

    @Test
    void drainModeCommitsWhatTheTopicHeldAndExitsZero() throws Exception {
        String topic = "drain";
        broker.createTopic(topic, 3);
        int n = 1500;
        produce(broker, topic, 3, 0, n);
        Map<String, String> draining = new HashMap<>(env(topic));
        draining.put("FLOE_KAFKA_DRAIN", "true");
        Process floe = FloeProcess.launch(dir, "kafka-drain.log", draining, List.of());
        try {
            assertThat(floe.waitFor(90, TimeUnit.SECONDS)).as("exited by itself").isTrue();
            assertThat(floe.exitValue()).isZero();
        } finally {
            floe.destroyForcibly();
        }
        assertThat(ids()).hasSize(n).containsExactlyInAnyOrderElementsOf(expected(n));
        assertThat(broker.committed(group(topic)).values()).extracting(o -> o.offset()).containsOnly(500L);
    }

    @Test
    void aTopicCreatedAgainIsReadFromItsStart() throws Exception {
        String topic = "recreated";
        broker.createTopic(topic, 1);
        produce(broker, topic, 1, 0, 300);
        try (FloeProcess floe = FloeProcess.start(dir, "kafka-recreated-1.log", env(topic),
                List.of("-Dfloe.kafka.batch.max-wait-ms=300"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ids().size() == 300);
        }
        // the table's watermark (299) is now past the end of the new topic's partition
        broker.deleteTopic(topic);
        broker.createTopic(topic, 1);
        produce(broker, topic, 1, 300, 350);
        try (FloeProcess floe = FloeProcess.start(dir, "kafka-recreated-2.log", env(topic),
                List.of("-Dfloe.kafka.batch.max-wait-ms=300"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ids().size() >= 350);
            // the watermark moved back with the commit: more records on the new topic are not skipped either
            produce(broker, topic, 1, 350, 400);
            await().atMost(Duration.ofSeconds(60)).until(() -> ids().size() >= 400);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> ids().size() == 400);
        }
        assertThat(ids()).hasSize(400).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected(400));
    }

    @Test
    void killedMidBatchBeforeTheCommit() throws Exception {
        String topic = "crash-mid-batch";
        broker.createTopic(topic, 2);
        int n = 2500;
        produce(broker, topic, 2, 0, n);
        // batches of 1,000 commit; the last 1,000 wait in memory (ten minutes), and are read when the kill comes
        try (FloeProcess floe = FloeProcess.start(dir, "kafka-crash-mid-batch-1.log", env(topic),
                List.of("-Dfloe.kafka.batch.max-events=1000", "-Dfloe.kafka.batch.max-wait-ms=600000"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> received(floe) >= n && ids().size() >= 2000);
            floe.process.destroyForcibly(); // SIGKILL
            assertThat(floe.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ids()).as("rows before the restart").hasSizeLessThan(n);
        restartAndExpectExactly(topic, n, "kafka-crash-mid-batch-2.log");
    }

    @Test
    void haltedAfterTheTableCommitBeforeTheKafkaOffsetCommit() throws Exception {
        String topic = "crash-after-commit";
        broker.createTopic(topic, 2);
        int n = 2000;
        produce(broker, topic, 2, 0, n);
        // at most two batches are admitted before the first commit, which a group commit could otherwise fill with
        // every record
        FloeProcess.runUntilCrashAfterCommit(dir, "kafka-crash-after-commit-1.log", env(topic),
                List.of("-Dfloe.kafka.batch.max-events=500", "-Dfloe.max-pending-events=1000"));
        // the table holds a commit, and Kafka never heard of it
        assertThat(ids()).isNotEmpty().hasSizeLessThan(n);
        Map<TopicPartition, ?> committed = broker.committed(group(topic));
        assertThat(committed).isEmpty();
        restartAndExpectExactly(topic, n, "kafka-crash-after-commit-2.log");
    }

    @Test
    void twoReplicasWithARebalanceMidStream() throws Exception {
        String topic = "two-replicas";
        broker.createTopic(topic, 4);
        int n = 6000;
        List<String> props = List.of("-Dfloe.kafka.batch.max-events=200", "-Dfloe.kafka.batch.max-wait-ms=300");
        // a steady stream: 20 events every 50 ms, so partitions move while records are in flight; past 4,000 it slows
        // to a trickle (one event per partition every 400 ms) until A is dead, so that A dies mid-stream however long
        // B takes to start
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger ticks = new AtomicInteger();
        AtomicBoolean aKilled = new AtomicBoolean();
        ScheduledExecutorService stream = Executors.newSingleThreadScheduledExecutor();
        try (FloeProcess a = FloeProcess.start(dir, "kafka-replica-a.log", env(topic), props)) {
            ScheduledFuture<?> streaming = stream.scheduleAtFixedRate(() -> {
                int from = sent.get();
                boolean steady = from < n - 2000 || aKilled.get();
                boolean trickle = !steady && ticks.incrementAndGet() % 8 == 0 && from + 4 <= n - 500;
                if (from < n && (steady || trickle)) {
                    int to = Math.min(n, from + (steady ? 20 : 4));
                    produce(broker, topic, 4, from, to);
                    sent.set(to);
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> streaming(streaming) && ids().size() > 0);
            // B joins: the group rebalances and B starts its partitions at the table's watermarks
            try (FloeProcess b = FloeProcess.start(dir, "kafka-replica-b.log", env(topic), props)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> streaming(streaming) && received(b) > 0);
                // A dies mid-stream: B takes every partition
                a.process.destroyForcibly();
                aKilled.set(true);
                await().atMost(Duration.ofSeconds(60)).until(() -> streaming(streaming) && sent.get() == n);
                await().atMost(Duration.ofSeconds(120)).until(() -> ids().size() >= n);
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> ids().size() == n);
                assertThat(ids()).hasSize(n).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected(n));
            }
        } finally {
            stream.shutdownNow();
        }
    }
}
