package dev.floe.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import dev.floe.app.Tables;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Floe reaches Kafka only through its SASL_SSL listener (SCRAM-SHA-512, TLS checked against a trust store), configured
 * with floe.kafka.properties.*: its consumer, its dead-letter producer and its Admin client all work over it.
 */
@QuarkusTest
@TestProfile(KafkaSaslSslIT.OverSaslSsl.class)
class KafkaSaslSslIT {

    public static class OverSaslSsl implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaSaslSslResource.class));
        }
    }

    @Inject
    Catalog catalog;

    static ProducerRecord<byte[], byte[]> event(int partition, String id) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(KafkaSaslSslResource.TOPIC, partition, null,
                bytes("{\"n\":1}"));
        r.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(id)).add("ce_source", bytes("/secure"))
                .add("ce_type", bytes("com.example.secure")).add("content-type", bytes("application/json"));
        return r;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eventsLandOnceAndDeadLettersAreWrittenOverSaslSsl() throws Exception {
        String p = "sasl-" + UUID.randomUUID() + "-";
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(event(i % 2, p + i));
        }
        ProducerRecord<byte[], byte[]> noId = event(0, p + "poison");
        noId.headers().remove("ce_id");
        records.add(10, noId);
        KafkaSaslSslResource.broker.sendAll(records);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> Tables.rowsWithIdPrefix(catalog, KafkaSaslSslResource.TABLE, p).size() >= 20);
        assertThat(Tables.rowsWithIdPrefix(catalog, KafkaSaslSslResource.TABLE, p))
                .extracting(r -> (String) r.getField("id")).hasSize(20).doesNotHaveDuplicates();

        // the dead letter went out through Floe's producer, which knows only the SASL_SSL listener
        await().atMost(Duration.ofSeconds(60)).until(() -> KafkaSaslSslResource.broker
                .readAll(KafkaSaslSslResource.DEAD_LETTERS, 1, Duration.ofSeconds(2)).stream()
                .anyMatch(r -> header(r, "ce_source") != null && header(r, "ce_id") == null
                        && header(r, "floe_error_reason") != null));

        // progress is committed to the group over the same connection, once the table holds the records
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var committed = KafkaSaslSslResource.broker.committed(KafkaSaslSslResource.GROUP);
            assertThat(committed.get(new TopicPartition(KafkaSaslSslResource.TOPIC, 0)).offset()).isEqualTo(11);
            assertThat(committed.get(new TopicPartition(KafkaSaslSslResource.TOPIC, 1)).offset()).isEqualTo(10);
        });
        HttpResponse<String> ready = SecurityChecks.get("/q/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

}
