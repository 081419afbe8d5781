package dev.floe.app.security;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.floe.testing.Directories;
import dev.floe.testing.KafkaBroker;
import dev.floe.testing.TestCertificates;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Kafka broker whose SASL_SSL listener (SCRAM-SHA-512 over TLS, certificates made for the test) is the only one
 * Floe is told about; its Kafka route is on. Init argument {@code password}: the password Floe connects with (the
 * broker knows {@link #PASSWORD}).
 */
public class KafkaSaslSslResource implements QuarkusTestResourceLifecycleManager {

    static final String TOPIC = "secure-events";
    static final String DEAD_LETTERS = "secure-events-dlq";
    static final String GROUP = "floe-sasl";
    static final String USER = "floe";
    static final String PASSWORD = "floe-secret-" + Long.toHexString(System.nanoTime());
    static final String TABLE = "secure.kafka_events";
    static final String DATA_DIR = "target/test-data-kafka-sasl";
    static KafkaBroker broker;
    static TestCertificates certificates;
    private String password = PASSWORD;

    @Override
    public void init(Map<String, String> initArgs) {
        password = initArgs.getOrDefault("password", PASSWORD);
    }

    @Override
    public Map<String, String> start() {
        Directories.delete(Path.of(DATA_DIR));
        Path dir = Path.of("target", "kafka-sasl-ssl").toAbsolutePath();
        certificates = TestCertificates.generate(dir.resolve("tls"));
        broker = KafkaBroker.startInOwnProcessWithSaslSsl(dir.resolve("broker"), certificates,
                Map.of(USER, PASSWORD));
        broker.createTopic(TOPIC, 2);
        broker.createTopic(DEAD_LETTERS, 1);
        Map<String, String> config = new HashMap<>(Map.of("floe.kafka.enabled", "true",
                "floe.kafka.bootstrap-servers", broker.saslSslBootstrapServers(),
                "floe.kafka.topics", TOPIC,
                "floe.kafka.group-id", GROUP,
                "floe.kafka.dead-letter-topic", DEAD_LETTERS,
                "floe.kafka.pause-retry-ms", "300",
                "floe.table", TABLE,
                "floe.data-dir", DATA_DIR,
                "floe.tables.\"" + TABLE + "\".dedup", "false"));
        // exactly what a user writes: floe.kafka.properties."security.protocol"=SASL_SSL, ...
        KafkaBroker.saslSslClientProperties(certificates, USER, password)
                .forEach((key, value) -> config.put("floe.kafka.properties.\"" + key + "\"", value));
        return config;
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
