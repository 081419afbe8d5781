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
        return Map.ofEntries(Map.entry("floe.kafka.enabled", "true"),
                Map.entry("floe.kafka.bootstrap-servers", broker.bootstrapServers()),
                Map.entry("floe.kafka.topics", TOPIC),
                Map.entry("floe.kafka.group-id", GROUP),
                Map.entry("floe.kafka.dead-letter-topic", DEAD_LETTERS),
                Map.entry("floe.kafka.pause-retry-ms", "300"),
                Map.entry("floe.table", "kafka.events"),
                // small, so that tests sending hundreds of records meet the limit
                Map.entry("floe.max-pending-events", String.valueOf(MAX_PENDING)),
                // at most half of it, or Floe refuses to start: one batch commits while the next fills
                Map.entry("floe.kafka.batch.max-events", String.valueOf(MAX_PENDING / 2)),
                Map.entry("floe.data-dir", DATA_DIR),
                // exactly once must hold by the watermarks alone: no dedup window to hide a record read twice
                Map.entry("floe.tables.\"kafka.events\".dedup", "false"));
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
