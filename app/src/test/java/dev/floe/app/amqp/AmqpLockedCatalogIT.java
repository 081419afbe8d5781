package dev.floe.app.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.jms.Message;

import dev.floe.app.Tables;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.iceberg.catalog.Catalog;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Fault: every commit fails for real, because another connection holds the SQLite catalog database in an exclusive
 * transaction. The broker (a real Artemis) has max-delivery-attempts and a dead-letter address on Floe's queue, as the
 * README advises: a message whose commits keep failing must count as a failed delivery each time and end on the
 * broker's dead-letter address, instead of being released and delivered again forever.
 */
@QuarkusTest
@TestProfile(AmqpLockedCatalogIT.WithBrokerDeadLetters.class)
class AmqpLockedCatalogIT {

    /** Its own profile, so its broker (and the address settings below) are not shared with other tests. */
    public static class WithBrokerDeadLetters implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ArtemisResource.class));
        }
    }

    private static final String TABLE = "amqp.events";
    private static final String BROKER_DEAD_LETTERS = "events-amqp-undeliverable";
    private static final int MAX_DELIVERY_ATTEMPTS = 3;

    @Inject
    Catalog catalog;
    @Inject
    MeterRegistry registry;
    @ConfigProperty(name = "floe.data-dir")
    String dataDir;

    @Test
    void commitsFailingOnALockedCatalogSendTheMessageToTheBrokersDeadLetterAddressAfterMaxDeliveryAttempts()
            throws Exception {
        ArtemisResource.broker.createQueue(BROKER_DEAD_LETTERS);
        ArtemisResource.broker.addressSetting(ArtemisResource.QUEUE, new AddressSettings()
                .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS)
                .setDeadLetterAddress(SimpleString.of(BROKER_DEAD_LETTERS))
                .setRedeliveryDelay(100).setRedeliveryMultiplier(2));
        String p = "locked-" + UUID.randomUUID() + "-";
        // the table exists before the lock: what fails below is the commit
        send(p + "warm");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p + "warm").size() == 1);

        String url = "jdbc:sqlite:" + Path.of(dataDir, "catalog.db").toAbsolutePath();
        try (Connection lock = DriverManager.getConnection(url); Statement st = lock.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            send(p + "stuck");
            // the broker gave up after max-delivery-attempts and moved the message to its dead-letter address
            List<Message> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                dead.addAll(ArtemisResource.broker.receive(BROKER_DEAD_LETTERS, 10, 200));
                return !dead.isEmpty();
            });
            assertThat(dead).extracting(m -> m.getStringProperty("cloudEvents:id")).containsExactly(p + "stuck");
            assertThat(ArtemisResource.broker.messageCount(ArtemisResource.QUEUE)).isZero();
            // Floe settled each of the tries as a failed delivery, none as a release
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(returned("modified-failed")).isEqualTo(MAX_DELIVERY_ATTEMPTS));
            assertThat(returned("released")).isZero();
            st.execute("ROLLBACK");
        }

        send(p + "after");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p + "after").size() == 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ArtemisResource.broker.messageCount(ArtemisResource.QUEUE) == 0);
        assertThat(rows(p)).extracting(r -> (String) r.getField("id")).containsExactlyInAnyOrder(p + "warm",
                p + "after");
        assertThat(ArtemisResource.broker.receive(BROKER_DEAD_LETTERS, 10, 200)).isEmpty();
    }

    /** Messages Floe handed back to the broker with this outcome, whatever the queue and reason. */
    private double returned(String outcome) {
        return registry.find("floe.amqp.returned").tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private List<org.apache.iceberg.data.Record> rows(String prefix) {
        return Tables.rowsWithIdPrefix(catalog, TABLE, prefix);
    }

    private static void send(String id) {
        Map<String, Object> properties = Map.of("cloudEvents:specversion", "1.0", "cloudEvents:id", id,
                "cloudEvents:source", "/amqp/test", "cloudEvents:type", "com.example.amqp");
        ArtemisResource.broker.send(ArtemisResource.QUEUE, List.of("{}".getBytes(StandardCharsets.UTF_8)),
                List.of(properties), List.of("application/json"));
    }
}
