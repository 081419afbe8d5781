package dev.floe.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.floe.testing.KafkaBroker;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Numbered CloudEvents ({@code e-0}, {@code e-1}, …) in Kafka records (binary mode), spread over a topic's partitions,
 * and the settings of a Floe process that reads that topic into the test's table.
 */
final class KafkaEvents {

    private KafkaEvents() {
    }

    /** The consumer group of the Floe processes that read {@code topic}; it names the table's watermarks too. */
    static String group(String topic) {
        return "crash-" + topic;
    }

    /** The environment of a Floe process that reads {@code topic} into the table in {@code dir}. */
    static Map<String, String> floeEnv(Path dir, KafkaBroker broker, String topic) {
        Map<String, String> env = new HashMap<>(new ProcessTable(dir).catalogEnv());
        env.putAll(Map.of("FLOE_KAFKA_ENABLED", "true", "FLOE_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "FLOE_KAFKA_TOPICS", topic, "FLOE_KAFKA_GROUP_ID", group(topic)));
        return env;
    }

    /** Sends events {@code from} … {@code to - 1}, event i to partition i % partitions; fails if any is refused. */
    static void produce(KafkaBroker broker, String topic, int partitions, int from, int to) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, i % partitions, null,
                    ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            r.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes("e-" + i))
                    .add("ce_source", bytes("/crash/" + topic)).add("ce_type", bytes("dev.floe.crash"))
                    .add("content-type", bytes("application/json"));
            records.add(r);
        }
        broker.sendAll(records);
    }

    /** The ids of events 0 … n - 1. */
    static List<String> expected(int n) {
        return ProcessTable.numbered("e-", n);
    }

    /** Records the Kafka route of a Floe process has read (replays included). */
    static double received(FloeProcess floe) {
        return floe.received("kafka-to-iceberg");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
