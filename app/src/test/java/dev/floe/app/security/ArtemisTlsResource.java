package dev.floe.app.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.floe.testing.ArtemisBroker;
import dev.floe.testing.Directories;
import dev.floe.testing.TestCertificates;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An Artemis broker with security on (a user and password) and an amqps acceptor (certificates made for the test);
 * Floe is told only the amqps address, its credentials and a trust store (floe.amqp.trust-store-*). Init argument
 * {@code password}: the password Floe logs in with (the broker knows {@link #PASSWORD}).
 */
public class ArtemisTlsResource implements QuarkusTestResourceLifecycleManager {

    static final String QUEUE = "secure-amqp";
    static final String DEAD_LETTERS = "secure-amqp-dlq";
    static final String USER = "floe";
    static final String PASSWORD = "amqp-secret-" + Long.toHexString(System.nanoTime());
    static final String TABLE = "secure.amqp_events";
    static final String DATA_DIR = "target/test-data-amqp-tls";
    static ArtemisBroker broker;
    private String password = PASSWORD;

    @Override
    public void init(Map<String, String> initArgs) {
        password = initArgs.getOrDefault("password", PASSWORD);
    }

    @Override
    public Map<String, String> start() {
        try {
            Directories.delete(Path.of(DATA_DIR));
            TestCertificates certificates = TestCertificates
                    .generate(Path.of("target", "artemis-tls").toAbsolutePath());
            broker = ArtemisBroker.startSecured(Files.createTempDirectory("artemis-tls"), certificates, USER,
                    PASSWORD);
            broker.createQueue(QUEUE);
            broker.createQueue(DEAD_LETTERS);
            return Map.ofEntries(Map.entry("floe.amqp.enabled", "true"),
                    Map.entry("floe.amqp.url", broker.amqpsUrl()),
                    Map.entry("floe.amqp.username", USER),
                    Map.entry("floe.amqp.password", password),
                    Map.entry("floe.amqp.trust-store-location", certificates.trustStore().toString()),
                    Map.entry("floe.amqp.trust-store-password", certificates.password()),
                    Map.entry("floe.amqp.queue", QUEUE),
                    Map.entry("floe.amqp.dead-letter-queue", DEAD_LETTERS),
                    Map.entry("floe.table", TABLE),
                    Map.entry("floe.data-dir", DATA_DIR));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
