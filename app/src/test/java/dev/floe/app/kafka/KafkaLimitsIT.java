package dev.floe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.floe.app.Tables;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** A record over a limit is dead-lettered with a reason naming the limit, and the records after it land. */
@QuarkusTest
@TestProfile(KafkaToIcebergIT.WithKafka.class)
class KafkaLimitsIT {

    @Inject
    Catalog catalog;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ProducerRecord<byte[], byte[]> binary(String id, String data) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(KafkaResource.TOPIC, 0, null, bytes(data));
        r.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(id)).add("ce_source", bytes("/kafka/limits"))
                .add("ce_type", bytes("com.example.kafka")).add("content-type", bytes("application/json"));
        return r;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Optional<ConsumerRecord<byte[], byte[]>> deadLetter(String marker) {
        List<ConsumerRecord<byte[], byte[]>> dead = KafkaResource.broker.readAll(KafkaResource.DEAD_LETTERS,
                Integer.MAX_VALUE, Duration.ofSeconds(2));
        return dead.stream().filter(r -> r.value() != null
                && new String(r.value(), StandardCharsets.UTF_8).contains(marker)).findFirst();
    }

    @Test
    void recordsOverALimitAreDeadLetteredNamingItAndTheNextOnesLand() {
        String p = "klimit-" + UUID.randomUUID() + "-";
        KafkaResource.broker.send(binary(p + "i".repeat(5000), "{\"m\":\"" + p + "long-id\"}"));
        String deep = "[".repeat(2000) + "{\"m\":\"" + p + "deep\"}" + "]".repeat(2000);
        KafkaResource.broker.send(binary(p + "deep", deep));
        KafkaResource.broker.send(binary(p + "good", "{}"));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> Tables.rowsWithIdPrefix(catalog, "kafka.events", p).size() == 1);
        assertThat(Tables.rowsWithIdPrefix(catalog, "kafka.events", p)).extracting(r -> r.getField("id"))
                .containsExactly(p + "good");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetter(p + "long-id").isPresent() && deadLetter(p + "deep").isPresent());
        assertThat(header(deadLetter(p + "long-id").get(), "floe_error_reason"))
                .contains("maxAttributeBytes (2048)");
        assertThat(header(deadLetter(p + "deep").get(), "floe_error_reason")).contains("maxJsonDepth (64)");
    }
}
