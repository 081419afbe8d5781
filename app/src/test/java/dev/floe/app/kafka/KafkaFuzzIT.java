package dev.floe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import dev.floe.app.Tables;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * The Kafka fuzz property end to end, through a real broker and Floe's route: every fuzzed record (the generators of
 * {@link KafkaCloudEventReaderFuzzTest}) ends either in the table exactly once or on the dead-letter topic, and a good
 * record sent after them lands. A modest number of tries: this one runs the whole pipeline. Each record carries a
 * unique key, which both the row (kafka.key) and the dead letter keep.
 */
@QuarkusTest
@TestProfile(KafkaFuzzIT.WithOwnDeadLetterTopic.class)
class KafkaFuzzIT {

    /** Kafka as for KafkaToIcebergIT, with a dead-letter topic of its own: fuzzed dead letters stay out of theirs. */
    public static class WithOwnDeadLetterTopic implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FuzzKafkaResource.class));
        }
    }

    public static class FuzzKafkaResource extends KafkaResource {

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            config.put("floe.kafka.dead-letter-topic", FUZZ_DEAD_LETTERS);
            return config;
        }
    }

    private static final String FUZZ_DEAD_LETTERS = "fuzz-dlq";

    private static final String TABLE = "kafka.events";
    private static final int TRIES = 60;
    // under the producer's max.request.size, with room for the dead letter's floe_* headers
    private static final int MAX_RECORD_BYTES = 900_000;

    @Inject
    Catalog catalog;

    @Test
    void everyFuzzedRecordLandsOnceOrIsDeadLetteredAndAGoodOneFollows() {
        String run = "fuzz-" + UUID.randomUUID() + "-";
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        new KafkaCloudEventReaderFuzzTest().records().sampleStream().filter(r -> size(r) < MAX_RECORD_BYTES)
                .limit(TRIES).forEach(fuzzed -> {
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(KafkaResource.TOPIC, 0,
                            bytes(run + records.size()), fuzzed.value());
                    fuzzed.headers().forEach(h -> record.headers().add(h.key(), h.value()));
                    records.add(record);
                });
        String good = run + "good";
        ProducerRecord<byte[], byte[]> last = new ProducerRecord<>(KafkaResource.TOPIC, 0, bytes(good), bytes("{}"));
        last.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(good))
                .add("ce_source", bytes("/fuzz")).add("ce_type", bytes("com.example.fuzz"))
                .add("content-type", bytes("application/json"));
        records.add(last);
        KafkaResource.broker.sendAll(records);

        Map<String, Integer> rows = new HashMap<>();
        Map<String, Integer> deadLetters = new HashMap<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            rows.clear();
            deadLetters.clear();
            rowKeys(run).forEach(k -> rows.merge(k, 1, Integer::sum));
            KafkaResource.broker.readAll(FUZZ_DEAD_LETTERS, Integer.MAX_VALUE, Duration.ofSeconds(2))
                    .stream().map(KafkaFuzzIT::key).filter(k -> k != null && k.startsWith(run))
                    .forEach(k -> deadLetters.merge(k, 1, Integer::sum));
            for (ProducerRecord<byte[], byte[]> record : records) {
                String key = new String(record.key(), StandardCharsets.UTF_8);
                int inTable = rows.getOrDefault(key, 0);
                assertThat(inTable + (deadLetters.containsKey(key) ? 1 : 0))
                        .as("record %s (headers %s) is in the table %d times, dead-lettered: %s", key,
                                describe(record), inTable, deadLetters.containsKey(key))
                        .isEqualTo(1);
            }
        });
        assertThat(rows.get(good)).isEqualTo(1);
    }

    private List<String> rowKeys(String run) {
        TableIdentifier id = TableIdentifier.parse(TABLE);
        if (!catalog.tableExists(id)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(catalog.loadTable(id)).build()) {
            for (Record row : it) {
                Object key = ((Record) row.getField("kafka")).getField("key");
                if (key instanceof ByteBuffer buffer) {
                    String k = StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
                    if (k.startsWith(run)) {
                        keys.add(k);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return keys;
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    private static int size(ConsumerRecord<byte[], byte[]> r) {
        int size = r.value() == null ? 0 : r.value().length;
        for (Header h : r.headers()) {
            size += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    private static String describe(ProducerRecord<byte[], byte[]> r) {
        List<String> names = new ArrayList<>();
        r.headers().forEach(h -> names.add(h.key()));
        return names.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
