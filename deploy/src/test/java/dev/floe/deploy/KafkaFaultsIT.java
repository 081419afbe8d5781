package dev.floe.deploy;

import static dev.floe.deploy.KafkaEvents.expected;
import static dev.floe.deploy.KafkaEvents.floeEnv;
import static dev.floe.deploy.KafkaEvents.group;
import static dev.floe.deploy.KafkaEvents.produce;
import static dev.floe.deploy.KafkaEvents.received;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.floe.testing.KafkaBroker;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka rows of the fault matrix, each a real fault against the packaged application as its own JVM and a real
 * broker in a JVM of its own: a replica frozen with SIGSTOP while it holds a batch, the broker stopped and started
 * again mid-stream, SIGTERM mid-batch. Each ends with the table read back with Iceberg's reader: every event produced,
 * exactly once, and nothing else.
 */
class KafkaFaultsIT {

    static final String TABLE = "table=\"default.events\"";
    static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() {
        // in its own JVM, so that it can be stopped and started again with its data and port
        broker = KafkaBroker.startInOwnProcess(Repository.ROOT.resolve("deploy/target/kafka-faults-broker"));
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

    private List<String> ids() {
        return new ProcessTable(dir).ids();
    }

    /** Starts Floe on the topic and waits until it is ready; for a start on another thread. */
    private FloeProcess start(String log, String topic, List<String> properties) {
        try {
            return FloeProcess.start(dir, log, env(topic), properties);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /** Waits on the table: each check opens the catalog and loads it, so not too often. */
    private static ConditionFactory awaitTable() {
        return await().pollInterval(Duration.ofMillis(300));
    }

    private long rows() {
        return new ProcessTable(dir).rowCount();
    }

    /**
     * True when the table's watermarks say it has absorbed events 0 … n - 1 of the topic: event i is the record at
     * offset i / partitions of partition i % partitions, as {@link KafkaEvents#produce} sends them in order.
     */
    private boolean absorbed(String topic, int partitions, int n) {
        Map<String, Long> watermarks = new ProcessTable(dir).watermarks("kafka." + group(topic));
        for (int p = 0; p < partitions && p < n; p++) {
            long last = (n - 1 - p) / partitions; // offset of the last event below n in partition p
            if (watermarks.getOrDefault(topic + "/" + p, -1L) < last) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the table holds n rows and no more arrive; then checks they are events 0 … n - 1, each once. */
    private void expectExactly(int n) {
        awaitTable().atMost(Duration.ofSeconds(90)).until(() -> rows() >= n);
        awaitTable().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> rows() == n);
        assertThat(ids()).hasSize(n).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected(n));
    }

    private static List<String> with(List<String> properties, String... more) {
        return Stream.concat(properties.stream(), Stream.of(more)).toList();
    }

    /**
     * Replica A holds records in a batch and freezes (SIGSTOP, like a long GC pause or a stalled node). The group evicts
     * it, B takes its partitions from the table's watermarks and commits what A held. A thaws (SIGCONT) and closes its
     * stale batch: the commit is compare-and-set on watermarks B has moved, so it is refused; A rejoins and replays
     * from the table.
     */
    @Test
    void replicaFrozenBySigstopWhileHoldingABatchIsFencedAfterSigcont() throws Exception {
        String topic = "zombie";
        int partitions = 4;
        broker.createTopic(topic, partitions);
        // the group evicts a replica 4 s after its last heartbeat
        List<String> session = List.of("-Dfloe.kafka.properties.\"session.timeout.ms\"=4000",
                "-Dfloe.kafka.properties.\"heartbeat.interval.ms\"=1000");
        // A's batches close on a 5 s tick: right after one, A holds what it reads next for 5 s
        List<String> slow = with(session, "-Dfloe.kafka.batch.max-events=50000",
                "-Dfloe.kafka.batch.max-wait-ms=5000");
        List<String> fast = with(session, "-Dfloe.kafka.batch.max-events=1000", "-Dfloe.kafka.batch.max-wait-ms=1000");
        int n;
        // both start at once: a Floe JVM takes a while to start on a busy machine
        CompletableFuture<FloeProcess> startingB = CompletableFuture
                .supplyAsync(() -> start("kafka-zombie-b.log", topic, fast));
        try (FloeProcess a = start("kafka-zombie-a.log", topic, slow);
                FloeProcess b = startingB.join();
                EventStream stream = new EventStream(broker, topic, partitions, 8, 100)) {
            // each replica reads two partitions
            await().atMost(Duration.ofSeconds(60)).until(() -> stream.running() && received(a) > 0 && received(b) > 0);
            double aBatches = a.metric("floe_batches_committed_total", TABLE);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> stream.running() && a.metric("floe_batches_committed_total", TABLE) > aBatches);
            double aRead = received(a);
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.running() && received(a) > aRead);
            double aRewinds = a.metric("floe_kafka_rewinds_total", "");
            double aRefused = a.metric("floe_commit_failures_total", TABLE);
            double aCommitted = a.metric("floe_batches_committed_total", TABLE);

            a.freeze(); // SIGSTOP, with records in a batch
            int sentWhenFrozen = stream.sent();
            // the group evicts A; B starts A's partitions at the table's watermarks and commits what A holds
            awaitTable().atMost(Duration.ofSeconds(90))
                    .until(() -> stream.running() && absorbed(topic, partitions, sentWhenFrozen));

            a.thaw(); // SIGCONT: A's tick is overdue, it commits the batch it held
            await().atMost(Duration.ofSeconds(60)).until(() -> stream.running()
                    && a.metric("floe_commit_failures_total", TABLE) > aRefused);
            // A starts again from the table's watermarks (a rewind), back in the group, and commits again
            await().atMost(Duration.ofSeconds(60)).until(() -> stream.running()
                    && a.metric("floe_kafka_rewinds_total", "") > aRewinds
                    && a.metric("floe_batches_committed_total", TABLE) > aCommitted);
            n = stream.stop();
            expectExactly(n);
        } finally {
            startingB.thenAccept(FloeProcess::close); // B, if A did not start
        }
        // the table's watermarks never went back, and end at each partition's last offset
        List<Map<String, Long>> history = new ProcessTable(dir).watermarkHistory("kafka." + group(topic));
        for (int p = 0; p < partitions; p++) {
            String partition = topic + "/" + p;
            List<Long> marks = history.stream().filter(w -> w.containsKey(partition)).map(w -> w.get(partition))
                    .toList();
            assertThat(marks).as("watermarks of %s, oldest first", partition).isSorted()
                    .endsWith((long) n / partitions - 1);
        }
    }

    /**
     * The broker's JVM is stopped (SIGTERM, as in a rolling restart) while Floe reads a stream, and started again with
     * the same log directory and port. Floe keeps committing what it holds, reconnects, and goes on.
     */
    @Test
    void brokerStoppedBySigtermAndStartedAgainMidStream() throws Exception {
        String topic = "broker-restart";
        int partitions = 3;
        broker.createTopic(topic, partitions);
        try (FloeProcess floe = FloeProcess.start(dir, "kafka-broker-restart.log", env(topic),
                List.of("-Dfloe.kafka.batch.max-events=200", "-Dfloe.kafka.batch.max-wait-ms=300"));
                EventStream stream = new EventStream(broker, topic, partitions, 15, 100)) {
            awaitTable().atMost(Duration.ofSeconds(60)).until(() -> stream.running() && rows() >= 300);

            stream.pause();
            broker.stop(); // SIGTERM; waits until the broker's JVM has exited
            int sentBefore = stream.sent();
            double read = received(floe);
            // no broker: what Floe read is committed all the same (the table needs no broker), and Floe stays up
            awaitTable().atMost(Duration.ofSeconds(60)).until(() -> rows() >= read);
            assertThat(floe.process.isAlive()).as("Floe runs on without a broker").isTrue();

            broker.startAgain(); // same port, same log directory
            stream.resume();
            awaitTable().atMost(Duration.ofSeconds(90)).until(() -> stream.running()
                    && stream.sent() >= sentBefore + 300 && absorbed(topic, partitions, sentBefore + 300));
            expectExactly(stream.stop());
        }
    }

    /**
     * SIGTERM while records wait in a batch that would wait ten minutes, as Kubernetes stops a pod: the batch commits
     * before Floe exits, and Floe started again reads on from the table's watermarks without reading anything twice.
     */
    @Test
    void sigtermMidBatchCommitsTheBatchBeforeExit() throws Exception {
        String topic = "sigterm";
        broker.createTopic(topic, 2);
        int n = 2500;
        produce(broker, topic, 2, 0, n);
        try (FloeProcess floe = FloeProcess.start(dir, "kafka-sigterm-1.log", env(topic),
                List.of("-Dfloe.kafka.batch.max-events=1000", "-Dfloe.kafka.batch.max-wait-ms=600000"))) {
            // two batches of 1,000 commit; the last 500 records wait in memory
            awaitTable().atMost(Duration.ofSeconds(60)).until(() -> received(floe) >= n && rows() >= 2000);
            assertThat(ids()).as("rows before SIGTERM").hasSize(2000);
            floe.process.destroy(); // SIGTERM
            assertThat(floe.process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        }
        assertThat(ids()).as("rows after the exit").hasSize(n).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected(n));

        try (FloeProcess again = FloeProcess.start(dir, "kafka-sigterm-2.log", env(topic),
                List.of("-Dfloe.kafka.batch.max-wait-ms=300"))) {
            produce(broker, topic, 2, n, n + 100);
            expectExactly(n + 100);
        }
    }
}
