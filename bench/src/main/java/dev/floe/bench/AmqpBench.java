package dev.floe.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import dev.floe.testing.ArtemisBroker;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * AMQP benchmark: preloads a queue of a real, persistent Artemis broker (in this JVM, on the same machine) with binary
 * mode CloudEvents of about 400 bytes, starts the packaged Floe on it and times it until every row is committed. Steady
 * rows/s come from the table's snapshots, peak RSS is Floe's VmHWM.
 * <p>
 * Usage: AmqpBench EVENTS FLOE_JAR [JAVA_OPTION ...]
 */
public final class AmqpBench {

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(args[0]);
        Path jar = Path.of(args[1]);
        List<String> javaOptions = List.of(args).subList(2, args.length);
        Path data = Files.createTempDirectory("floe-amqp-bench");
        try (ArtemisBroker broker = ArtemisBroker.start(data.resolve("artemis"))) {
            long preload = System.nanoTime();
            long bytes = preload(broker, "bench", events);
            System.out.printf("mode=amqp-binary events=%d avg_message_bytes=%d preload_s=%.1f%n", events,
                    bytes / events, (System.nanoTime() - preload) / 1e9);

            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(javaOptions);
            command.addAll(List.of("-Dfloe.data-dir=" + data, "-Dfloe.amqp.enabled=true",
                    "-Dfloe.amqp.url=" + broker.url() + System.getProperty("amqp.url.options", ""),
                    "-Dfloe.amqp.queue=bench", "-Dfloe.http.port=0",
                    // compaction would add rewritten rows to the snapshots counted, and expiry remove them
                    "-Dfloe.maintenance.enabled=false",
                    "-Dquarkus.management.port=0", "-jar", jar.toString()));
            long started = System.nanoTime();
            SinkProcess floe = SinkProcess.start(command, data.resolve("floe.log"));
            boolean all;
            try {
                all = floe.await(() -> RunStats.rows(data) >= events, 500, Duration.ofHours(1));
            } finally {
                floe.stop();
            }
            if (!all) {
                throw new IllegalStateException("Floe exited or timed out before every row was committed: see " + data);
            }
            RunStats.report(data, events, (System.nanoTime() - started) / 1e9, floe.peakRssKb());
            // CPU up to the last commit, start-up included: less sensitive to a shared machine than rows/s
            double cpu = floe.cpu().toMillis() / 1e3;
            System.out.printf("cpu_s=%.1f rows_per_cpu_s=%.0f%n", cpu, events / cpu);
            System.out.printf("unsettled_after_run=%d%n", broker.messageCount("bench"));
        }
    }

    private static long preload(ArtemisBroker broker, String queue, int events) throws Exception {
        // asynchronous sends: the preload is not what is measured
        JmsConnectionFactory factory = new JmsConnectionFactory(broker.url() + "?jms.forceAsyncSend=true");
        factory.setValidatePropertyNames(false);
        long bytes = 0;
        byte[] data = Events.DATA.getBytes(StandardCharsets.UTF_8);
        try (Connection connection = factory.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            for (int i = 0; i < events; i++) {
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(data);
                m.setStringProperty("cloudEvents:specversion", "1.0");
                m.setStringProperty("cloudEvents:id", "ev-" + i);
                m.setStringProperty("cloudEvents:source", "/bench/sensors/42");
                m.setStringProperty("cloudEvents:type", "dev.floe.bench.reading");
                m.setStringProperty("cloudEvents:subject", "room-17");
                m.setStringProperty("cloudEvents:time", "2026-11-22T10:00:00.123Z");
                m.setStringProperty("cloudEvents:traceparent", "00-0af7651916cd43dd8448eb211c80319c-00");
                producer.send(m);
                bytes += data.length + 180;
            }
        }
        return bytes;
    }
}
