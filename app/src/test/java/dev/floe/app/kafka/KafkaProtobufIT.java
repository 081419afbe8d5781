package dev.floe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import dev.floe.app.ProtobufEvents;
import dev.floe.app.Tables;
import io.cloudevents.v1.proto.CloudEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * The CloudEvents Protobuf format in structured mode ({@code content-type: application/cloudevents+protobuf}) over a
 * real Kafka broker into Floe's Kafka route; rows read back with Iceberg's reader, poison records on the dead-letter
 * topic with their reason.
 */
@QuarkusTest
@TestProfile(KafkaToIcebergIT.WithKafka.class)
class KafkaProtobufIT {

    private static final String TABLE = "kafka.events";

    @Inject
    Catalog catalog;

    private static ProducerRecord<byte[], byte[]> record(int partition, String key, byte[] value, String contentType) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(KafkaResource.TOPIC, partition,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
        r.headers().add("content-type", contentType.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private static ProducerRecord<byte[], byte[]> structured(int partition, String key, CloudEvent event) {
        return record(partition, key, event.toByteArray(), ProtobufEvents.MEDIA_TYPE);
    }

    private List<Record> rows(String prefix) {
        return Tables.rowsWithIdPrefix(catalog, TABLE, prefix);
    }

    @Test
    void protobufRecordsBecomeRowsWithEveryColumn() {
        String p = "proto-" + UUID.randomUUID() + "-";
        String source = "/kafka/protobuf";
        KafkaResource.broker.send(structured(0, "key-1", ProtobufEvents.everyAttribute(p + "all", source)));
        KafkaResource.broker.send(structured(1, null, ProtobufEvents.binaryData(p + "bin", source)));
        // a media type parameter is allowed, as for JSON
        KafkaResource.broker.send(record(1, null, ProtobufEvents.plainText(p + "text", source).toByteArray(),
                ProtobufEvents.MEDIA_TYPE + "; charset=utf-8"));
        KafkaResource.broker.send(structured(0, null, ProtobufEvents.protoData(p + "any", source)));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 4);
        Map<String, Record> byId = new HashMap<>();
        rows(p).forEach(r -> byId.put((String) r.getField("id"), r));
        Record all = byId.get(p + "all");
        ProtobufEvents.assertEveryColumn(all, p + "all", source);
        Record kafka = (Record) all.getField("kafka");
        assertThat(kafka.getField("topic")).isEqualTo(KafkaResource.TOPIC);
        assertThat(kafka.getField("partition")).isEqualTo(0);
        assertThat((Long) kafka.getField("offset")).isNotNegative();
        assertThat(StandardCharsets.UTF_8.decode((java.nio.ByteBuffer) kafka.getField("key")).toString())
                .isEqualTo("key-1");
        ProtobufEvents.assertDataBytes(byId.get(p + "bin"), byId.get(p + "text"), byId.get(p + "any"));
        assertThat(((Record) byId.get(p + "bin").getField("kafka")).getField("partition")).isEqualTo(1);
    }

    @Test
    void badProtobufRecordsAreDeadLetteredWithTheirReasonAndTheGoodOnesBehindThemLand() {
        String p = "proto-poison-" + UUID.randomUUID() + "-";
        String source = "/kafka/protobuf-poison";
        byte[] garbage = ProtobufEvents.notProtobuf(p);
        byte[] invalid = ProtobufEvents.invalid(p + "invalid", source).toByteArray();
        byte[] batch = ProtobufEvents.everyAttribute(p + "batched", source).toByteArray();
        KafkaResource.broker.send(structured(0, null, ProtobufEvents.everyAttribute(p + "good-1", source)));
        KafkaResource.broker.send(record(0, p + "garbage", garbage, ProtobufEvents.MEDIA_TYPE));
        KafkaResource.broker.send(record(0, p + "invalid", invalid, ProtobufEvents.MEDIA_TYPE));
        // the Kafka binding has no batched mode
        KafkaResource.broker.send(record(0, p + "batch", batch, ProtobufEvents.BATCH_MEDIA_TYPE));
        KafkaResource.broker.send(structured(0, null, ProtobufEvents.everyAttribute(p + "good-2", source)));
        KafkaResource.broker.send(structured(0, null, ProtobufEvents.binaryData(p + "good-3", source)));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 3);
        assertThat(rows(p)).extracting(r -> r.getField("id")).containsExactlyInAnyOrder(p + "good-1", p + "good-2",
                p + "good-3");
        ProtobufEvents.assertEveryColumn(rows(p + "good-2").get(0), p + "good-2", source);

        Map<String, ConsumerRecord<byte[], byte[]>> dead = new HashMap<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<byte[], byte[]> r : KafkaResource.broker.readAll(KafkaResource.DEAD_LETTERS,
                    Integer.MAX_VALUE, Duration.ofSeconds(2))) {
                String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                if (key.startsWith(p)) {
                    dead.put(key.substring(p.length()), r);
                }
            }
            return dead.size() == 3;
        });
        // each dead letter is the record as sent, with why it was refused
        assertThat(dead.get("garbage").value()).isEqualTo(garbage);
        assertThat(header(dead.get("garbage"), "floe_error_reason")).contains("not a Protobuf CloudEvent");
        assertThat(dead.get("invalid").value()).isEqualTo(invalid);
        assertThat(header(dead.get("invalid"), "floe_error_reason")).contains("specversion").contains("type");
        assertThat(dead.get("batch").value()).isEqualTo(batch);
        assertThat(header(dead.get("batch"), "floe_error_reason")).contains("batched mode");
        for (ConsumerRecord<byte[], byte[]> letter : dead.values()) {
            assertThat(header(letter, "content-type")).startsWith("application/cloudevents");
            assertThat(header(letter, "floe_source_topic")).isEqualTo(KafkaResource.TOPIC);
            assertThat(header(letter, "floe_source_partition")).isEqualTo("0");
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
