package dev.floe.app.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.floe.app.Tables;
import dev.floe.testing.ArtemisBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.jms.Message;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;

/** A message over a limit is dead-lettered with a reason naming the limit, and the messages after it land. */
@QuarkusTest
@TestProfile(AmqpToIcebergIT.WithAmqp.class)
class AmqpLimitsIT {

    @Inject
    Catalog catalog;

    private static Map<String, Object> binary(String id, String marker) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("cloudEvents:specversion", "1.0");
        p.put("cloudEvents:id", id);
        // the dead letter keeps the CloudEvents properties (and no other): the source tells this test's apart
        p.put("cloudEvents:source", "/amqp/limits/" + marker);
        p.put("cloudEvents:type", "com.example.amqp");
        return p;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String property(Message m, String name) {
        try {
            return m.getStringProperty(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void messagesOverALimitAreDeadLetteredNamingItAndTheNextOnesLand() throws Exception {
        String p = "alimit-" + UUID.randomUUID() + "-";
        String deep = "[".repeat(2000) + "]".repeat(2000);
        ArtemisResource.broker.send(ArtemisResource.QUEUE,
                List.of(utf8("{\"long\":1}"), utf8(deep), utf8("{}")),
                List.of(binary(p + "i".repeat(5000), p), binary(p + "deep", p), binary(p + "good", p)),
                List.of("application/json", "application/json", "application/json"));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> Tables.rowsWithIdPrefix(catalog, "amqp.events", p).size() == 1);
        assertThat(Tables.rowsWithIdPrefix(catalog, "amqp.events", p)).extracting(r -> r.getField("id"))
                .containsExactly(p + "good");

        Map<String, Message> dead = new HashMap<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (Message m : ArtemisResource.broker.receive(ArtemisResource.DEAD_LETTERS, 100, 500)) {
                if (("/amqp/limits/" + p).equals(property(m, "cloudEvents:source"))) {
                    dead.put(ArtemisBroker.text(m).startsWith("[") ? "deep" : "long", m);
                }
            }
            return dead.size() >= 2;
        });
        assertThat(property(dead.get("long"), "floe_error_reason")).contains("maxAttributeBytes (2048)");
        assertThat(property(dead.get("deep"), "floe_error_reason")).contains("maxJsonDepth (64)");
    }
}
