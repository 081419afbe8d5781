package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.floe.testing.ArtemisBroker;
import dev.floe.testing.KafkaBroker;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One memory budget under load. Floe (the packaged jar, its own JVM with a capped heap) takes HTTP, Kafka and AMQP at
 * once, every source at full speed, and writes to a warehouse on S3 that is slow: every chunk to and from the object
 * store is held by a {@link dev.floe.testing.FaultProxy} first. Commits are slow, so what is admitted piles up against
 * the budget ({@code floe.max-pending-events}, {@code floe.max-pending-bytes}): HTTP clients get 429 and send again,
 * the AMQP consumer and the Kafka polling thread wait (Kafka replays from the tables when it waited too long).
 * <p>
 * Sampled from the process' own metrics (/q/metrics) all along: the pending gauges never pass the budget, and the
 * heap used (every heap pool of {@code jvm_memory_used_bytes}) stays under the budget times its in-memory expansion
 * plus a fixed overhead. The JVM never dies (it would exit on an OutOfMemoryError), and afterwards the table holds
 * every acknowledged HTTP event, every Kafka record and every AMQP message, each exactly once.
 * <p>
 * {@code -Dfloe.memory-budget.seconds=120} runs the load longer (bench/memory.sh); every 10 s it prints events/s per
 * source, pending events and bytes, heap used and GC time.
 */
class MemoryBudgetIT {

    static final long MIB = 1024 * 1024;
    static final int MAX_PENDING_EVENTS = 2_000;
    static final long MAX_PENDING_BYTES = 2 * MIB;
    /*
     * The bound on heap used, from what this scenario measured (live heap after a full GC forced with jcmd GC.run every
     * few seconds): Floe at rest holds 31 MiB. Under load with the budget full, 50-72 MiB with this scenario's 16 KiB
     * Kafka records; with 1.5 KiB records, 39-72 MiB (mean 50) at a 2 MiB budget and 56-80 MiB (mean 64) at 8 MiB.
     * - EXPANSION: live heap per input byte held. Measured about 2 (14 MiB more for 6 MiB more budget); 4 here, since
     * small events cost more per byte (each has its exchange, headers and CloudEvent).
     * - OVERHEAD: live heap under this load whatever the budget, measured about 48 MiB: Floe at rest, and what the
     * sources hold outside the budget (Kafka's fetch buffers, 1 MiB a partition, and the records of a poll; Qpid's
     * prefetch of 1,000 messages; the 4 MiB dedup window; Iceberg's metadata); 64 here, for the spread between runs.
     * - GC_HEADROOM: heap used over live heap. The serial collector keeps 40 % of the old generation free after a full
     * collection and makes the young generation half the old one: 1 / 0.6 x 1.5 = 2.5 (measured 2.3-2.5).
     * Bound: 2.5 x (64 + 4 x 2) = 180 MiB; measured peaks 113-128 MiB. Without a budget (floe.max-pending-events
     * 1,000,000, floe.max-pending-bytes 1 GiB) this scenario held up to 12,777 events and 178 MiB of input and heap
     * used reached 296 MiB of the 308 MiB cap; with -Xmx288m the JVM died of an OutOfMemoryError after 45 s.
     */
    static final long EXPANSION = 4;
    static final long OVERHEAD = 64 * MIB;
    static final long GC_HEADROOM_TENTHS = 25;
    static final long HEAP_BOUND = GC_HEADROOM_TENTHS * (OVERHEAD + EXPANSION * MAX_PENDING_BYTES) / 10;
    /** Room above the bound, so that a budget that does not hold shows as a number before it kills the JVM. */
    static final long XMX = HEAP_BOUND + 128 * MIB;

    /** Every chunk to and from the object store waits this long: a commit takes about a second. */
    static final long STORE_DELAY_MS = 10;
    static final Duration LOAD = Duration.ofSeconds(Long.getLong("floe.memory-budget.seconds", 50));
    static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    static final int HTTP_CLIENTS = 4;
    static final long RETRY_AFTER_MS = 1000;
    static final int HTTP_EVENTS_PER_REQUEST = 50;
    static final int HTTP_EVENT_BYTES = 512;
    static final int KAFKA_RECORD_BYTES = 16 * 1024;
    static final int AMQP_MESSAGE_BYTES = 2 * 1024;
    static final String TOPIC = "memory";
    static final String GROUP = "memory";
    static final int PARTITIONS = 2;
    static final String QUEUE = "memory";
    /**
     * Full speed: the Kafka topic is kept this many records ahead of what Floe has read (8 times the bytes budget), the
     * AMQP queue this many messages deep, so Floe's consumers never run dry; what is left when the load stops drains
     * in seconds. Without a budget Floe would read on as fast as it can, and the producer would follow.
     */
    static final int KAFKA_AHEAD = 1_000;
    static final int AMQP_AHEAD = 1_500;

    @TempDir
    Path dir;

    @Test
    void slowObjectStoreEverySourceAtFullSpeedHeapStaysUnderTheBudgetAndNothingIsLost() throws Exception {
        try (ProcessS3Warehouse warehouse = ProcessS3Warehouse.start(dir);
                KafkaBroker kafka = KafkaBroker.start();
                ArtemisBroker amqp = ArtemisBroker.start(dir.resolve("artemis"))) {
            kafka.createTopic(TOPIC, PARTITIONS);
            amqp.createQueue(QUEUE);
            warehouse.proxy.delay(STORE_DELAY_MS);
            Map<String, String> env = new HashMap<>(Map.of("FLOE_KAFKA_ENABLED", "true",
                    "FLOE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "FLOE_KAFKA_TOPICS", TOPIC,
                    "FLOE_KAFKA_GROUP_ID", GROUP, "FLOE_AMQP_ENABLED", "true", "FLOE_AMQP_URL", amqp.url(),
                    "FLOE_AMQP_QUEUE", QUEUE));
            List<String> jvm = new ArrayList<>(List.of("-Xms16m", "-Xmx" + XMX / MIB + "m", "-XX:+UseSerialGC",
                    "-XX:MaxDirectMemorySize=64m", "-XX:+ExitOnOutOfMemoryError",
                    "-Dfloe.max-pending-events=" + MAX_PENDING_EVENTS, "-Dfloe.max-pending-bytes=" + MAX_PENDING_BYTES,
                    "-Dfloe.dedup-window-bytes=" + 4 * MIB,
                    "-Dfloe.batch.max-events=1000", "-Dfloe.batch.max-wait-ms=2000",
                    // Kafka's batches must fit twice in the budget
                    "-Dfloe.kafka.batch.max-events=1000", "-Dfloe.kafka.batch.max-bytes=" + MAX_PENDING_BYTES / 2,
                    "-Dfloe.kafka.batch.max-wait-ms=2000"));
            jvm.addAll(warehouse.floeProperties());
            try (FloeProcess floe = FloeProcess.start(dir, "memory-budget.log", env, jvm);
                    Sampler sampler = Sampler.start(floe, warehouse);
                    Load load = Load.start(floe, warehouse, kafka, amqp)) {
                try {
                    // the load runs this long; an OutOfMemoryError would end Floe (ExitOnOutOfMemoryError)
                    await("Floe alive under load").during(LOAD).atMost(LOAD.plusSeconds(30))
                            .pollInterval(Duration.ofSeconds(1)).until(floe.process::isAlive);
                } finally {
                    load.finish();
                }
                // what the sources hold when the load stops drains into the table
                long expected = load.httpAcknowledged.size() + load.kafkaProduced.get() + load.amqpSent.get();
                await("everything sent is in the table").atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofSeconds(1)).until(() -> !floe.process.isAlive()
                                || progress(warehouse).rows() >= expected && amqp.messageCount(QUEUE) == 0);
                sampler.close();
                System.out.println(String.format("memory-budget sources: HTTP %d events acknowledged (%d requests "
                        + "answered 429), Kafka %d records, AMQP %d messages", load.httpAcknowledged.size(),
                        load.refused.get(), load.kafkaProduced.get(), load.amqpSent.get()));

                SoftAssertions memory = new SoftAssertions();
                memory.assertThat(floe.process.isAlive()).as("Floe is alive").isTrue();
                memory.assertThat(FloeProcess.get(floe.management("/q/health/live"))).as("liveness").startsWith("200");
                memory.assertThat(sampler.samples).as("metrics samples").hasSizeGreaterThan(100);
                memory.assertThat(sampler.peak(Sample::pendingEvents)).as("peak floe_events_pending")
                        .isLessThanOrEqualTo(MAX_PENDING_EVENTS);
                memory.assertThat(sampler.peak(Sample::pendingBytes)).as("peak floe_pending_bytes")
                        .isLessThanOrEqualTo(MAX_PENDING_BYTES);
                memory.assertThat(sampler.peak(Sample::heapUsed)).as("peak heap used, bytes").isLessThan(HEAP_BOUND);
                // the budget, not the clients, was what held the sources back
                memory.assertThat(load.refused.get()).as("HTTP requests answered 429").isPositive();
                memory.assertAll();

                assertThat(load.httpAcknowledged).as("HTTP events acknowledged").isNotEmpty();
                assertThat(load.kafkaProduced.get()).as("Kafka records produced").isPositive();
                assertThat(load.amqpSent.get()).as("AMQP messages sent").isPositive();
                assertExactlyOnce(warehouse.ids(), load.expectedIds());
            }
        }
    }

    /** What the table holds, from its snapshots' summaries. */
    static ProcessS3Warehouse.Progress progress(ProcessS3Warehouse warehouse) {
        return warehouse.progress(GROUP, Set.of(TOPIC + "/0", TOPIC + "/1"));
    }

    /** Every expected id once, and nothing else (sets: a list assertion would be quadratic at this size). */
    private static void assertExactlyOnce(List<String> rows, Set<String> expected) {
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (String id : rows) {
            if (!seen.add(id)) {
                duplicates.add(id);
            }
        }
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(seen);
        Set<String> unexpected = new HashSet<>(seen);
        unexpected.removeAll(expected);
        assertThat(duplicates).as("ids in the table twice").isEmpty();
        assertThat(missing).as("ids missing from the table").isEmpty();
        assertThat(unexpected).as("ids in the table that no source sent or had acknowledged").isEmpty();
        assertThat(rows).hasSize(expected.size());
    }

    /** What /q/metrics said at one moment. */
    record Sample(long atMillis, long pendingEvents, long pendingBytes, long heapUsed, long heapCommitted,
            double gcSeconds, double httpAccepted, double amqpAccepted, double commits, double commitSeconds,
            double kafkaRewinds, long liveAfterGc) {

        static final Sample ZERO = new Sample(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        private static final Pattern HEAP_USED = Pattern
                .compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E+-]+)$");
        private static final Pattern HEAP_COMMITTED = Pattern
                .compile("(?m)^jvm_memory_committed_bytes\\{area=\"heap\"[^}]*} ([0-9.E+-]+)$");
        private static final Pattern GC_SECONDS = Pattern
                .compile("(?m)^jvm_gc_pause_seconds_sum\\{[^}]*} ([0-9.E+-]+)$");
        private static final Pattern COMMITS = Pattern
                .compile("(?m)^floe_batches_committed_total\\{[^}]*} ([0-9.E+-]+)$");
        private static final Pattern COMMIT_SECONDS = Pattern
                .compile("(?m)^floe_commit_duration_seconds_sum\\{[^}]*} ([0-9.E+-]+)$");

        static Sample parse(long atMillis, String metrics) {
            return new Sample(atMillis, (long) single(metrics, "floe_events_pending"),
                    (long) single(metrics, "floe_pending_bytes"), (long) sum(metrics, HEAP_USED),
                    (long) sum(metrics, HEAP_COMMITTED), sum(metrics, GC_SECONDS),
                    single(metrics, "floe_events_accepted_total{route=\"http-to-iceberg\"}"),
                    single(metrics, "floe_events_accepted_total{route=\"amqp-to-iceberg\"}"), sum(metrics, COMMITS),
                    sum(metrics, COMMIT_SECONDS), single(metrics, "floe_kafka_rewinds_total"),
                    (long) single(metrics, "jvm_gc_live_data_size_bytes"));
        }

        private static double single(String metrics, String name) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.E+-]+)$").matcher(metrics);
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        }

        private static double sum(String metrics, Pattern pattern) {
            Matcher m = pattern.matcher(metrics);
            double sum = 0;
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
            return sum;
        }
    }

    /**
     * Samples Floe's metrics four times a second on a thread of its own, from before the load until {@link #close()},
     * and prints a line every 10 s.
     */
    static final class Sampler implements AutoCloseable {

        final List<Sample> samples = new CopyOnWriteArrayList<>();
        private final FloeProcess floe;
        private final ProcessS3Warehouse warehouse;
        private final long start = System.currentTimeMillis();
        private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
        private long nextReport = start + REPORT_EVERY.toMillis();
        private Sample reported;
        private long kafkaReported;

        private Sampler(FloeProcess floe, ProcessS3Warehouse warehouse) {
            this.floe = floe;
            this.warehouse = warehouse;
        }

        static Sampler start(FloeProcess floe, ProcessS3Warehouse warehouse) {
            Sampler sampler = new Sampler(floe, warehouse);
            sampler.thread.scheduleWithFixedDelay(sampler::sample, 0, 250, TimeUnit.MILLISECONDS);
            return sampler;
        }

        private void sample() {
            String answer = FloeProcess.get(floe.management("/q/metrics"));
            if (answer.startsWith("200")) {
                samples.add(Sample.parse(System.currentTimeMillis() - start, answer));
            }
            if (System.currentTimeMillis() >= nextReport && !samples.isEmpty()
                    && samples.get(samples.size() - 1) != reported) {
                nextReport += REPORT_EVERY.toMillis();
                try {
                    report();
                } catch (RuntimeException e) {
                    // a report is for people; a failed read of the table must not stop the sampling
                    System.out.println("memory-budget report skipped: " + e);
                }
            }
        }

        /** Events/s per source, pending events and bytes, heap and GC since the last report. */
        private void report() {
            Sample now = samples.get(samples.size() - 1);
            Sample before = reported != null ? reported : Sample.ZERO;
            long kafka = progress(warehouse).kafkaRecords();
            double seconds = (now.atMillis() - before.atMillis()) / 1000.0;
            double commits = now.commits() - before.commits();
            List<Sample> window = samples.stream().filter(s -> s.atMillis() > before.atMillis()).toList();
            // one println a line: surefire passes the test's output on line by line, between Kafka's and Jetty's logs
            System.out.println(String.format(
                    "memory-budget t=%3ds http=%5.0f/s kafka=%5.0f/s amqp=%5.0f/s pending_events=%d "
                            + "(peak %d) pending_bytes=%d (peak %d) heap_used_mb=%d (peak %d) heap_committed_mb=%d "
                            + "live_after_gc_mb=%d gc_ms=%.0f commits=%.0f commit_ms=%.0f kafka_rewinds=%.0f",
                    now.atMillis() / 1000, (now.httpAccepted() - before.httpAccepted()) / seconds,
                    (kafka - kafkaReported) / seconds, (now.amqpAccepted() - before.amqpAccepted()) / seconds,
                    now.pendingEvents(), window.stream().mapToLong(Sample::pendingEvents).max().orElse(0),
                    now.pendingBytes(), window.stream().mapToLong(Sample::pendingBytes).max().orElse(0),
                    now.heapUsed() / MIB, window.stream().mapToLong(Sample::heapUsed).max().orElse(0) / MIB,
                    now.heapCommitted() / MIB, now.liveAfterGc() / MIB,
                    (now.gcSeconds() - before.gcSeconds()) * 1000, commits,
                    (now.commitSeconds() - before.commitSeconds()) * 1000 / Math.max(1, commits),
                    now.kafkaRewinds()));
            reported = now;
            kafkaReported = kafka;
        }

        long peak(ToLongFunction<Sample> of) {
            return samples.stream().mapToLong(of).max().orElse(0);
        }

        @Override
        public void close() throws InterruptedException {
            if (thread.isShutdown()) {
                return;
            }
            thread.shutdown();
            thread.awaitTermination(30, TimeUnit.SECONDS);
            System.out.println(String.format("memory-budget summary: %d samples, peak floe_events_pending %d of %d, "
                    + "peak floe_pending_bytes %d of %d, peak heap used %d MiB (bound %d MiB, -Xmx%dm), GC %.1f s",
                    samples.size(), peak(Sample::pendingEvents), MAX_PENDING_EVENTS, peak(Sample::pendingBytes),
                    MAX_PENDING_BYTES, peak(Sample::heapUsed) / MIB, HEAP_BOUND / MIB, XMX / MIB,
                    samples.isEmpty() ? 0 : samples.get(samples.size() - 1).gcSeconds()));
        }
    }

    /**
     * Every source at full speed until {@link #finish()}: HTTP clients on their own threads, each sending batched
     * requests one after the other and a refused one again after Retry-After; a Kafka producer that keeps the topic
     * {@link #KAFKA_AHEAD} records ahead of what Floe has read, and an AMQP producer that keeps the queue
     * {@link #AMQP_AHEAD} messages deep.
     */
    static final class Load implements AutoCloseable {

        final Set<String> httpAcknowledged = ConcurrentHashMap.newKeySet();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong kafkaProduced = new AtomicLong();
        final AtomicLong amqpSent = new AtomicLong();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final FloeProcess floe;
        private final KafkaBroker kafka;
        private final ArtemisBroker amqp;
        private final ProcessS3Warehouse warehouse;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final List<Future<?>> running = new ArrayList<>();
        private volatile boolean stopping;

        private Load(FloeProcess floe, ProcessS3Warehouse warehouse, KafkaBroker kafka, ArtemisBroker amqp) {
            this.floe = floe;
            this.warehouse = warehouse;
            this.kafka = kafka;
            this.amqp = amqp;
        }

        static Load start(FloeProcess floe, ProcessS3Warehouse warehouse, KafkaBroker kafka, ArtemisBroker amqp) {
            Load load = new Load(floe, warehouse, kafka, amqp);
            for (int c = 0; c < HTTP_CLIENTS; c++) {
                int client = c;
                load.running.add(load.threads.submit(() -> load.http(client)));
            }
            load.running.add(load.threads.submit(load::kafka));
            load.running.add(load.threads.submit(load::amqp));
            return load;
        }

        /** Stops sending: each HTTP client finishes the request in hand (until it is acknowledged). */
        void finish() throws Exception {
            if (stopping) {
                return;
            }
            stopping = true;
            for (Future<?> f : running) {
                f.get(300, TimeUnit.SECONDS);
            }
            assertThat(failures).as("answers no client should get").isEmpty();
        }

        Set<String> expectedIds() {
            Set<String> ids = new HashSet<>(httpAcknowledged);
            for (long i = 0; i < kafkaProduced.get(); i++) {
                ids.add("k-" + i);
            }
            for (long i = 0; i < amqpSent.get(); i++) {
                ids.add("a-" + i);
            }
            return ids;
        }

        private void http(int client) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            long n = 0;
            while (!stopping) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < HTTP_EVENTS_PER_REQUEST; i++) {
                    ids.add("h" + client + "-" + n++);
                }
                HttpRequest request = HttpRequest.newBuilder(floe.events()).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/cloudevents-batch+json")
                        .POST(HttpRequest.BodyPublishers.ofString(batch(ids))).build();
                // sent again until acknowledged: 429 (full) and 503 (a commit failed) ask for it, and so does a
                // request that got no answer
                while (true) {
                    int status;
                    try {
                        status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    if (status == 204) {
                        httpAcknowledged.addAll(ids);
                        break;
                    }
                    if (status == 429) {
                        refused.incrementAndGet();
                    } else if (status != 503 && status != -1) {
                        failures.add("HTTP " + status);
                        return;
                    }
                    if (!floe.process.isAlive()) {
                        return;
                    }
                    // as Retry-After asks (floe.retry-after-seconds)
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_AFTER_MS));
                }
            }
        }

        private void kafka() {
            long n = 0;
            while (!stopping && floe.process.isAlive()) {
                if (n - floe.received("kafka-to-iceberg") >= KAFKA_AHEAD) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                    continue;
                }
                List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
                for (int i = 0; i < 200; i++, n++) {
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(TOPIC, (int) (n % PARTITIONS), null,
                            utf8(data(n, KAFKA_RECORD_BYTES)));
                    r.headers().add("ce_specversion", utf8("1.0")).add("ce_id", utf8("k-" + n))
                            .add("ce_source", utf8("/memory/kafka")).add("ce_type", utf8("dev.floe.memory"))
                            .add("content-type", utf8("application/json"));
                    records.add(r);
                }
                kafka.sendAll(records);
                kafkaProduced.set(n);
            }
        }

        private void amqp() {
            long n = 0;
            while (!stopping && floe.process.isAlive()) {
                if (amqp.messageCount(QUEUE) >= AMQP_AHEAD) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                    continue;
                }
                List<byte[]> bodies = new ArrayList<>();
                List<Map<String, Object>> props = new ArrayList<>();
                List<String> types = new ArrayList<>();
                for (int i = 0; i < 250; i++, n++) {
                    bodies.add(utf8(data(n, AMQP_MESSAGE_BYTES)));
                    props.add(Map.of("cloudEvents:specversion", "1.0", "cloudEvents:id", "a-" + n,
                            "cloudEvents:source", "/memory/amqp", "cloudEvents:type", "dev.floe.memory"));
                    types.add("application/json");
                }
                amqp.send(QUEUE, bodies, props, types);
                amqpSent.set(n);
            }
        }

        private static String batch(List<String> ids) {
            StringBuilder sb = new StringBuilder("[");
            for (String id : ids) {
                sb.append(sb.length() > 1 ? "," : "").append("{\"specversion\":\"1.0\",\"id\":\"").append(id)
                        .append("\",\"source\":\"/memory/http\",\"type\":\"dev.floe.memory\",")
                        .append("\"datacontenttype\":\"application/json\",\"data\":").append(data(0, HTTP_EVENT_BYTES))
                        .append('}');
            }
            return sb.append(']').toString();
        }

        /** A JSON payload of about {@code size} bytes. */
        private static String data(long n, int size) {
            return "{\"n\":" + n + ",\"pad\":\"" + "x".repeat(Math.max(0, size - 20)) + "\"}";
        }

        private static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            stopping = true;
            threads.shutdownNow();
        }
    }
}
