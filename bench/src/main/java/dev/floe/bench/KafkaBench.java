package dev.floe.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.floe.testing.KafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka benchmark: preloads a topic of a real broker (in this JVM, on the same machine) with CloudEvents of about 400
 * bytes, then starts the packaged Floe in drain mode and times it until every row is committed and it exits. Steady
 * rows/s come from the table's own snapshots (commit times and added records, 10 % to 90 % of the rows). Peak RSS is
 * Floe's VmHWM.
 * <p>
 * Usage: KafkaBench EVENTS structured|binary FLOE_JAR [JAVA_OPTION ...]
 */
public final class KafkaBench {

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(args[0]);
        String mode = args[1];
        Path jar = Path.of(args[2]);
        List<String> javaOptions = List.of(args).subList(3, args.length);
        Path data = Files.createTempDirectory("floe-kafka-bench");
        try (KafkaBroker broker = KafkaBroker.start()) {
            String topic = "bench-" + mode;
            broker.createTopic(topic, 2);
            long preload = System.nanoTime();
            long bytes = preload(broker, topic, mode, events);
            System.out.printf("mode=%s events=%d avg_record_bytes=%d preload_s=%.1f%n", mode, events, bytes / events,
                    (System.nanoTime() - preload) / 1e9);

            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(javaOptions);
            command.addAll(List.of("-Dfloe.data-dir=" + data, "-Dfloe.kafka.enabled=true", "-Dfloe.kafka.drain=true",
                    "-Dfloe.kafka.bootstrap-servers=" + broker.bootstrapServers(), "-Dfloe.kafka.topics=" + topic,
                    "-Dfloe.http.port=0", "-Dquarkus.management.port=0", "-jar", jar.toString()));
            long started = System.nanoTime();
            SinkProcess floe = SinkProcess.start(command, data.resolve("floe.log"));
            int exit = floe.waitForExit(Duration.ofHours(1));
            double total = (System.nanoTime() - started) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException("Floe exited with " + exit + ": see " + data);
            }
            RunStats.report(data, events, total, floe.peakRssKb());
            // CPU of the whole run (start-up and drain included): less sensitive to a shared machine than rows/s
            double cpu = floe.cpu().toMillis() / 1e3;
            System.out.printf("cpu_s=%.1f rows_per_cpu_s=%.0f%n", cpu, events / cpu);
        }
    }

    static long preload(KafkaBroker broker, String topic, String mode, int events) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("linger.ms", "20");
        p.put("batch.size", "262144");
        p.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < events; i++) {
                String id = "ev-" + i;
                ProducerRecord<byte[], byte[]> record;
                if (mode.equals("structured")) {
                    record = new ProducerRecord<>(topic, utf8(Events.structured(id)));
                    record.headers().add("content-type", utf8("application/cloudevents+json"));
                } else {
                    record = new ProducerRecord<>(topic, utf8(Events.DATA));
                    record.headers().add("ce_specversion", utf8("1.0")).add("ce_id", utf8(id))
                            .add("ce_source", utf8("/bench/sensors/42")).add("ce_type", utf8("dev.floe.bench.reading"))
                            .add("ce_subject", utf8("room-17")).add("ce_time", utf8("2026-11-22T10:00:00.123Z"))
                            .add("ce_traceparent", utf8("00-0af7651916cd43dd8448eb211c80319c-00"))
                            .add("content-type", utf8("application/json"));
                }
                bytes += record.value().length;
                for (var h : record.headers()) {
                    bytes += h.key().length() + h.value().length;
                }
                producer.send(record);
            }
            producer.flush();
        }
        return bytes;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
