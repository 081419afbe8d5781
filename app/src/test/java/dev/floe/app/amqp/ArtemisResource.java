package dev.floe.app.amqp;

import java.nio.file.Files;
import java.util.Map;

import dev.floe.testing.ArtemisBroker;
import dev.floe.testing.Directories;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts a persistent Artemis broker with an AMQP acceptor and turns Floe's AMQP route on. */
public class ArtemisResource implements QuarkusTestResourceLifecycleManager {

    static final String QUEUE = "events-amqp";
    static final String DEAD_LETTERS = "events-amqp-dlq";
    static final int MAX_PENDING = 50;
    static final String DATA_DIR = "target/test-data-amqp";
    static ArtemisBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            Directories.delete(java.nio.file.Path.of(DATA_DIR));
            broker = ArtemisBroker.start(Files.createTempDirectory("artemis"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "floe.amqp.enabled", "true",
                "floe.amqp.url", "failover:(" + broker.url() + ")?failover.initialReconnectDelay=200",
                "floe.amqp.queue", QUEUE,
                "floe.amqp.dead-letter-queue", DEAD_LETTERS,
                "floe.table", "amqp.events",
                // small, so that tests sending hundreds of messages meet the limit
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
