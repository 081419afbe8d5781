package dev.floe.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.jms.Message;

import dev.floe.app.Tables;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;

/**
 * Floe reads from Artemis over amqps with a user and password, trusting the broker through floe.amqp.trust-store-*:
 * events land, every message is settled, and a poison message reaches the dead-letter queue over the same connection.
 */
@QuarkusTest
@TestProfile(AmqpTlsIT.OverTls.class)
class AmqpTlsIT {

    public static class OverTls implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ArtemisTlsResource.class));
        }
    }

    @Inject
    Catalog catalog;

    static Map<String, Object> event(String id) {
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put("cloudEvents:specversion", "1.0");
        p.put("cloudEvents:id", id);
        p.put("cloudEvents:source", "/secure/amqp");
        p.put("cloudEvents:type", "com.example.secure");
        return p;
    }

    /** Sends these events (ids) to Floe's queue, in binary mode with a JSON body. */
    static void send(List<Map<String, Object>> properties) {
        List<byte[]> bodies = new ArrayList<>();
        List<String> types = new ArrayList<>();
        properties.forEach(p -> {
            bodies.add("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
            types.add("application/json");
        });
        ArtemisTlsResource.broker.send(ArtemisTlsResource.QUEUE, bodies, properties, types);
    }

    @Test
    void eventsLandAndAreSettledOverTlsWithALogin() throws Exception {
        String p = "amqps-" + UUID.randomUUID() + "-";
        List<Map<String, Object>> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            messages.add(event(p + i));
        }
        Map<String, Object> noId = event(p + "poison");
        noId.remove("cloudEvents:id");
        messages.add(5, noId);
        send(messages);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> Tables.rowsWithIdPrefix(catalog, ArtemisTlsResource.TABLE, p).size() >= 10);
        assertThat(Tables.rowsWithIdPrefix(catalog, ArtemisTlsResource.TABLE, p))
                .extracting(r -> (String) r.getField("id")).hasSize(10).doesNotHaveDuplicates();
        // every message settled: none left on the queue, delivered or not
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ArtemisTlsResource.broker.messageCount(ArtemisTlsResource.QUEUE) == 0);
        List<Message> dead = ArtemisTlsResource.broker.receive(ArtemisTlsResource.DEAD_LETTERS, 1, 10_000);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getStringProperty("cloudEvents:source")).isEqualTo("/secure/amqp");
        assertThat(dead.get(0).getStringProperty("floe_error_reason")).contains("id");
        assertThat(SecurityChecks.get("/q/health/ready").statusCode()).isEqualTo(200);
    }
}
