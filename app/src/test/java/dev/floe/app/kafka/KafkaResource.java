package dev.floe.app.kafka;

import dev.floe.testing.Directories;
import dev.floe.testing.KafkaBroker;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts a Kafka broker for Floe and turns the Kafka route on. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    static final String TOPIC = "events-in";
    static final String DEAD_LETTERS = "events-dlq";
    static final String GROUP = "floe-it";
    static final int MAX_PENDING = 100;
    static final String DATA_DIR = "target/test-data-kafka";
    static KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        // the broker is new: so must the tables be, or their watermarks would point past its empty topics
        Directories.delete(Path.of(DATA_DIR));
        broker = KafkaBroker.start();
        broker.createTopic(TOPIC, 2);
        broker.createTopic(DEAD_LETTERS, 1);
        return Map.of(
                "floe.kafka.enabled", "true",
                "floe.kafka.bootstrap-servers", broker.bootstrapServers(),
                "floe.kafka.topics", TOPIC,
                "floe.kafka.group-id", GROUP,
                "floe.kafka.dead-letter-topic", DEAD_LETTERS,
                "floe.kafka.pause-retry-ms", "300",
                "floe.table", "kafka.events",
                // small, so that tests sending hundreds of records meet the limit
                "floe.max-pending-events", String.valueOf(MAX_PENDING),
                "floe.data-dir", DATA_DIR);
    }

    @Override
    public void stop() {
        try {
            broker.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
