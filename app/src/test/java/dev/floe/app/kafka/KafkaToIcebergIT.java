package dev.floe.app.kafka;

import dev.floe.testing.KafkaBroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import dev.floe.app.Tables;
import dev.floe.camel.iceberg.SourceOffsets;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A real Kafka broker feeds Floe's Kafka route; rows are read back with Iceberg's reader. */
@QuarkusTest
@TestProfile(KafkaToIcebergIT.WithKafka.class)
class KafkaToIcebergIT {

    public static class WithKafka implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaResource.class));
        }
    }

    private static final String TABLE = "kafka.events";

    @Inject
    Catalog catalog;
    @Inject
    org.apache.camel.CamelContext camel;
    @ConfigProperty(name = "floe.data-dir")
    String dataDir;

    private static ProducerRecord<byte[], byte[]> binary(int partition, String id, String key, String data) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(KafkaResource.TOPIC, partition,
                key == null ? null : bytes(key), bytes(data));
        r.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(id)).add("ce_source", bytes("/kafka/test"))
                .add("ce_type", bytes("com.example.kafka")).add("ce_subject", bytes("s-" + id))
                .add("ce_time", bytes("2026-11-22T10:00:00Z")).add("ce_tenant", bytes("acme"))
                .add("content-type", bytes("application/json"));
        return r;
    }

    private static ProducerRecord<byte[], byte[]> structured(int partition, String id) {
        String json = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/kafka/structured\","
                + "\"type\":\"com.example.s\",\"datacontenttype\":\"application/json\",\"data\":{\"n\":7}}";
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(KafkaResource.TOPIC, partition, null, bytes(json));
        r.headers().add("content-type", bytes("application/cloudevents+json; charset=UTF-8"));
        return r;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<Record> rows(String prefix) {
        return Tables.rowsWithIdPrefix(catalog, TABLE, prefix);
    }

    @Test
    void binaryAndStructuredRecordsBecomeRowsWithEveryAttribute() {
        String p = "attr-" + UUID.randomUUID() + "-";
        KafkaResource.broker.send(binary(0, p + "bin", "key-1", "{\"amount\":12.5}"));
        KafkaResource.broker.send(structured(1, p + "str"));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 2);
        Map<String, Record> byId = new HashMap<>();
        rows(p).forEach(r -> byId.put((String) r.getField("id"), r));

        Record bin = byId.get(p + "bin");
        assertThat(bin.getField("source")).isEqualTo("/kafka/test");
        assertThat(bin.getField("type")).isEqualTo("com.example.kafka");
        assertThat(bin.getField("specversion")).isEqualTo("1.0");
        assertThat(bin.getField("subject")).isEqualTo("s-" + p + "bin");
        assertThat(bin.getField("time").toString()).isEqualTo("2026-11-22T10:00Z");
        assertThat(bin.getField("datacontenttype")).isEqualTo("application/json");
        assertThat(bin.getField("data")).isEqualTo("{\"amount\":12.5}");
        assertThat(bin.getField("extensions")).isEqualTo(Map.of("tenant", "acme"));
        Record kafka = (Record) bin.getField("kafka");
        assertThat(kafka.getField("topic")).isEqualTo(KafkaResource.TOPIC);
        assertThat(kafka.getField("partition")).isEqualTo(0);
        assertThat((Long) kafka.getField("offset")).isNotNegative();
        assertThat(StandardCharsets.UTF_8.decode((java.nio.ByteBuffer) kafka.getField("key")).toString())
                .isEqualTo("key-1");

        Record str = byId.get(p + "str");
        assertThat(str.getField("source")).isEqualTo("/kafka/structured");
        assertThat(str.getField("data")).isEqualTo("{\"n\":7}");
        assertThat(((Record) str.getField("kafka")).getField("partition")).isEqualTo(1);
        assertThat(((Record) str.getField("kafka")).getField("key")).isNull();
    }

    @Test
    void poisonRecordsAreDeadLetteredAndTheGoodOnesAroundThemLand() {
        String p = "poison-" + UUID.randomUUID() + "-";
        KafkaResource.broker.send(binary(0, p + "good-1", null, "{}"));
        ProducerRecord<byte[], byte[]> noId = binary(0, p + "x", "bad-key", "{\"v\":1}");
        noId.headers().remove("ce_id");
        KafkaResource.broker.send(noId);
        ProducerRecord<byte[], byte[]> brokenJson = new ProducerRecord<>(KafkaResource.TOPIC, 0, null,
                bytes("{\"specversion\":\"1.0\",\"id\":"));
        brokenJson.headers().add("content-type", bytes("application/cloudevents+json"));
        KafkaResource.broker.send(brokenJson);
        ProducerRecord<byte[], byte[]> notAnEvent = new ProducerRecord<>(KafkaResource.TOPIC, 0, null,
                bytes("just text"));
        KafkaResource.broker.send(notAnEvent);
        KafkaResource.broker.send(binary(0, p + "good-2", null, "{}"));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 2);
        assertThat(rows(p)).extracting(r -> r.getField("id")).containsExactlyInAnyOrder(p + "good-1", p + "good-2");

        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            dead.clear();
            KafkaResource.broker.readAll(KafkaResource.DEAD_LETTERS, Integer.MAX_VALUE, Duration.ofSeconds(2))
                    .stream().filter(r -> header(r, "floe_source_topic") != null).forEach(dead::add);
            return dead.stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("v\":1")
                    || new String(r.value(), StandardCharsets.UTF_8).equals("just text")
                    || new String(r.value(), StandardCharsets.UTF_8).startsWith("{\"specversion\":\"1.0\",\"id\":"))
                    .count() >= 3;
        });
        ConsumerRecord<byte[], byte[]> missingId = dead.stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).equals("{\"v\":1}")).findFirst().get();
        assertThat(header(missingId, "floe_error_reason")).contains("id");
        assertThat(header(missingId, "floe_source_topic")).isEqualTo(KafkaResource.TOPIC);
        assertThat(header(missingId, "floe_source_partition")).isEqualTo("0");
        assertThat(Long.parseLong(header(missingId, "floe_source_offset"))).isNotNegative();
        // the original headers and key travel with it
        assertThat(header(missingId, "ce_source")).isEqualTo("/kafka/test");
        assertThat(new String(missingId.key(), StandardCharsets.UTF_8)).isEqualTo("bad-key");
        ConsumerRecord<byte[], byte[]> text = dead.stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).equals("just text")).findFirst().get();
        assertThat(header(text, "floe_error_reason")).contains("not a CloudEvent");
    }

    @Test
    void aDeadLetterCarriesOnlyTheCloudEventsHeadersNeverOnesThatSteerTheProducer() {
        String p = "steer-" + UUID.randomUUID() + "-";
        String elsewhere = "steered-" + UUID.randomUUID();
        KafkaResource.broker.createTopic(elsewhere, 1);
        ProducerRecord<byte[], byte[]> text = binary(0, p + "x", "hostile-key", "{\"steer\":\"" + p + "\"}");
        // a value that is not UTF-8: the dead letter must carry its bytes unchanged
        byte[] value = java.util.Arrays.copyOf(text.value(), text.value().length + 2);
        value[value.length - 2] = (byte) 0xFF;
        value[value.length - 1] = (byte) 0xFE;
        ProducerRecord<byte[], byte[]> hostile = new ProducerRecord<>(text.topic(), text.partition(), text.key(),
                value, text.headers());
        hostile.headers().remove("ce_id");
        // the headers Camel's Kafka producer obeys, and a few of its other internal ones
        hostile.headers().add("kafka.OVERRIDE_TOPIC", bytes(elsewhere)).add("kafka.KEY", bytes("forged-key"))
                .add("kafka.PARTITION_KEY", bytes("7")).add("kafka.OVERRIDE_TIMESTAMP", bytes("1"))
                .add("CamelKafkaManualCommit", bytes("x")).add("floe_error_reason", bytes("forged reason"))
                .add("floe_source_topic", bytes("forged-topic"));
        KafkaResource.broker.send(hostile);
        KafkaResource.broker.send(binary(0, p + "good", null, "{}"));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 1);
        ConsumerRecord<byte[], byte[]> dead = await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetterContaining(p), java.util.Objects::nonNull);
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("hostile-key");
        assertThat(dead.value()).isEqualTo(value);
        assertThat(dead.headers()).extracting(Header::key).allMatch(k -> k.startsWith("ce_")
                || k.equals("content-type") || k.startsWith("floe_"), "only CloudEvents and floe_ headers");
        assertThat(header(dead, "ce_source")).isEqualTo("/kafka/test");
        assertThat(header(dead, "floe_source_topic")).isEqualTo(KafkaResource.TOPIC);
        assertThat(header(dead, "floe_error_reason")).contains("id").doesNotContain("forged");
        assertThat(dead.headers().headers("floe_error_reason")).hasSize(1);
        assertThat(KafkaResource.broker.endOffset(new TopicPartition(elsewhere, 0))).isZero();
    }

    @Test
    void aDeadLetterTooLargeForItsTopicIsSentWithoutItsValueAndNothingBlocks() {
        String p = "huge-dl-" + UUID.randomUUID() + "-";
        KafkaResource.broker.setTopicConfig(KafkaResource.DEAD_LETTERS, "max.message.bytes", "2048");
        try {
            String big = "{\"pad\":\"" + "x".repeat(6000) + "\",\"tag\":\"" + p + "\"}";
            ProducerRecord<byte[], byte[]> poison = binary(1, p + "x", "big-key", big);
            poison.headers().remove("ce_id");
            long at = KafkaResource.broker.endOffset(new TopicPartition(KafkaResource.TOPIC, 1));
            KafkaResource.broker.send(poison);
            KafkaResource.broker.send(binary(1, p + "after", null, "{}"));

            await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 1);
            ConsumerRecord<byte[], byte[]> dead = await().atMost(Duration.ofSeconds(30))
                    .until(() -> deadLetterOf(1, at), java.util.Objects::nonNull);
            assertThat(dead.value()).isNull();
            assertThat(Integer.parseInt(header(dead, "floe_original_size"))).isEqualTo(big.length());
            assertThat(header(dead, "floe_error_reason")).contains("id");
            assertThat(header(dead, "floe_dead_letter_stripped")).contains("too large");
        } finally {
            KafkaResource.broker.setTopicConfig(KafkaResource.DEAD_LETTERS, "max.message.bytes", null);
        }
    }

    private static ConsumerRecord<byte[], byte[]> deadLetterContaining(String text) {
        return KafkaResource.broker.readAll(KafkaResource.DEAD_LETTERS, Integer.MAX_VALUE, Duration.ofSeconds(2))
                .stream().filter(r -> r.value() != null
                        && new String(r.value(), StandardCharsets.UTF_8).contains(text))
                .findFirst().orElse(null);
    }

    private static ConsumerRecord<byte[], byte[]> deadLetterOf(int partition, long offset) {
        return KafkaResource.broker.readAll(KafkaResource.DEAD_LETTERS, Integer.MAX_VALUE, Duration.ofSeconds(2))
                .stream().filter(r -> String.valueOf(partition).equals(header(r, "floe_source_partition"))
                        && String.valueOf(offset).equals(header(r, "floe_source_offset")))
                .findFirst().orElse(null);
    }

    @Test
    void theTableHoldsTheWatermarkAndTheGroupOffsetFollowsIt() {
        String p = "wm-" + UUID.randomUUID() + "-";
        for (int i = 0; i < 20; i++) {
            KafkaResource.broker.send(binary(i % 2, p + i, null, "{}"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 20);
        Map<Integer, Long> lastOffsets = new HashMap<>();
        rows(p).forEach(r -> {
            Record k = (Record) r.getField("kafka");
            lastOffsets.merge((Integer) k.getField("partition"), (Long) k.getField("offset"), Math::max);
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Long> watermarks = SourceOffsets.read(catalog.loadTable(TableIdentifier.parse(TABLE)),
                    "kafka." + KafkaResource.GROUP, Set.of(KafkaResource.TOPIC + "/0", KafkaResource.TOPIC + "/1"));
            assertThat(watermarks.get(KafkaResource.TOPIC + "/0")).isGreaterThanOrEqualTo(lastOffsets.get(0));
            assertThat(watermarks.get(KafkaResource.TOPIC + "/1")).isGreaterThanOrEqualTo(lastOffsets.get(1));
            var committed = KafkaResource.broker.committed(KafkaResource.GROUP);
            assertThat(committed.get(new TopicPartition(KafkaResource.TOPIC, 0)).offset())
                    .isEqualTo(watermarks.get(KafkaResource.TOPIC + "/0") + 1);
            assertThat(committed.get(new TopicPartition(KafkaResource.TOPIC, 1)).offset())
                    .isEqualTo(watermarks.get(KafkaResource.TOPIC + "/1") + 1);
        });
    }

    @Test
    void whileTheCatalogIsDownTheConsumerPausesAndNothingIsLost() throws Exception {
        String p = "outage-" + UUID.randomUUID() + "-";
        KafkaResource.broker.send(binary(0, p + "before", null, "{}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 1);
        double rewindsBefore = rewinds();
        String url = "jdbc:sqlite:" + Path.of(dataDir, "catalog.db").toAbsolutePath();
        try (Connection lock = DriverManager.getConnection(url); Statement st = lock.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            for (int i = 0; i < 50; i++) {
                KafkaResource.broker.send(binary(i % 2, p + i, null, "{}"));
            }
            // the batches fail while the lock holds: the consumer pauses and rewinds rather than skipping them
            await().atMost(Duration.ofSeconds(30)).until(() -> rewinds() > rewindsBefore);
            assertThat(rows(p)).hasSize(1);
            st.execute("ROLLBACK");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> rows(p).size() >= 51);
        assertThat(rows(p)).extracting(r -> (String) r.getField("id")).hasSize(51).doesNotHaveDuplicates();
    }

    @Test
    void pastThePendingLimitTheConsumerWaitsForCommits() {
        String p = "full-" + UUID.randomUUID() + "-";
        int n = 8 * KafkaResource.MAX_PENDING;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(binary(i % 2, p + i, null, "{}"));
        }
        // all at once: faster than Floe commits them
        KafkaResource.broker.sendAll(records);
        double[] mostHeld = {0};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            mostHeld[0] = Math.max(mostHeld[0], metric("floe_events_pending"));
            return rows(p).size() >= n;
        });
        assertThat(rows(p)).extracting(r -> (String) r.getField("id")).hasSize(n).doesNotHaveDuplicates();
        // the consumer never held more than the limit in memory: it waited for commits instead
        assertThat(mostHeld[0]).isLessThanOrEqualTo(KafkaResource.MAX_PENDING);
    }

    @Test
    void aPartitionTruncatedBelowTheWatermarksIsReadOnFromItsEndNotFromItsStart() throws Exception {
        String p = "trunc-" + UUID.randomUUID() + "-";
        String source = "kafka." + KafkaResource.GROUP;
        String p0 = KafkaResource.TOPIC + "/0";
        String p1 = KafkaResource.TOPIC + "/1";
        for (int i = 0; i < 10; i++) {
            KafkaResource.broker.send(binary(0, p + i, null, "{}"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 10);
        long end = KafkaResource.broker.endOffset(new TopicPartition(KafkaResource.TOPIC, 0));
        await().atMost(Duration.ofSeconds(30)).until(() -> SourceOffsets
                .read(catalog.loadTable(TableIdentifier.parse(TABLE)), source, Set.of(p0)).get(p0) == end - 1);
        org.apache.iceberg.Table table = catalog.loadTable(TableIdentifier.parse(TABLE));
        Map<String, String> ids = SourceOffsets.readTopicIds(table, source);
        assertThat(ids).as("the topic's id is stored with the watermarks").containsKey(KafkaResource.TOPIC);

        // the table and the group had absorbed 50 more records of partition 0, which an unclean leader election
        // then lost: the partition now ends below both (the topic keeps its id)
        camel.getRouteController().stopRoute("kafka-to-iceberg");
        long w1 = SourceOffsets.read(table, source, Set.of(p1)).get(p1);
        table.newAppend().set(SourceOffsets.SUMMARY_PREFIX + source, p0 + "=" + (end + 49) + "," + p1 + "=" + w1)
                .set(SourceOffsets.TOPIC_IDS_PREFIX + source, KafkaResource.TOPIC + "=" + ids.get(KafkaResource.TOPIC))
                .set("floe.offsets-complete", "true").commit();
        KafkaResource.broker.commitGroupOffset(KafkaResource.GROUP, new TopicPartition(KafkaResource.TOPIC, 0),
                end + 50);
        double rewindsBefore = rewinds();
        camel.getRouteController().startRoute("kafka-to-iceberg");
        // what the partition holds when Floe starts on it is taken as held; records written after that are new
        await().atMost(Duration.ofSeconds(30)).until(() -> rewinds() > rewindsBefore);
        for (int i = 0; i < 5; i++) {
            KafkaResource.broker.send(binary(0, p + "new-" + i, null, "{}"));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> rows(p).size() >= 15);
        assertThat(rows(p)).extracting(r -> (String) r.getField("id")).hasSize(15).doesNotHaveDuplicates();
        // the first commit after the truncation moved the watermark back to what the partition holds
        await().atMost(Duration.ofSeconds(30)).until(() -> SourceOffsets
                .read(catalog.loadTable(TableIdentifier.parse(TABLE)), source, Set.of(p0)).get(p0) == end + 4);
    }

    @Test
    void replaysWhileCommitsStallNeverHoldMoreThanTheMemoryBudget() throws Exception {
        String p = "stall-" + UUID.randomUUID() + "-";
        int n = 5 * KafkaResource.MAX_PENDING;
        double rewindsBefore = rewinds();
        double[] mostHeld = {0};
        String url = "jdbc:sqlite:" + Path.of(dataDir, "catalog.db").toAbsolutePath();
        try (Connection lock = DriverManager.getConnection(url); Statement st = lock.createStatement()) {
            // every commit waits for the lock, then fails: the consumer fills the budget, times out and replays
            st.execute("BEGIN EXCLUSIVE");
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                records.add(binary(i % 2, p + i, null, "{}"));
            }
            KafkaResource.broker.sendAll(records);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                mostHeld[0] = Math.max(mostHeld[0], metric("floe_events_pending"));
                return rewinds() >= rewindsBefore + 2 && mostHeld[0] >= KafkaResource.MAX_PENDING;
            });
            st.execute("ROLLBACK");
        }
        // the records of older generations still count until their batches settle, so replays never add to them
        assertThat(mostHeld[0]).isEqualTo(KafkaResource.MAX_PENDING);
        await().atMost(Duration.ofSeconds(60)).until(() -> rows(p).size() >= n);
        assertThat(rows(p)).extracting(r -> (String) r.getField("id")).hasSize(n).doesNotHaveDuplicates();
    }

    private static double rewinds() throws Exception {
        return metric("floe_kafka_rewinds_total");
    }

    private static double metric(String name) throws Exception {
        String metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:19000/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
