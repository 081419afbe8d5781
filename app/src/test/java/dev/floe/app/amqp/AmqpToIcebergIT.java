package dev.floe.app.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.jms.Message;

import dev.floe.app.Tables;
import dev.floe.testing.ArtemisBroker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/** A real Artemis broker (AMQP 1.0) feeds Floe's AMQP route; rows are read back with Iceberg's reader. */
@QuarkusTest
@TestProfile(AmqpToIcebergIT.WithAmqp.class)
class AmqpToIcebergIT {

    public static class WithAmqp implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ArtemisResource.class));
        }
    }

    private static final String TABLE = "amqp.events";

    @Inject
    Catalog catalog;
    @Inject
    MeterRegistry registry;
    @Inject
    org.apache.camel.CamelContext camel;

    private List<Record> rows(String prefix) {
        return Tables.rowsWithIdPrefix(catalog, TABLE, prefix);
    }

    private static Map<String, Object> binary(String prefix, String id) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(prefix + "specversion", "1.0");
        p.put(prefix + "id", id);
        p.put(prefix + "source", "/amqp/test");
        p.put(prefix + "type", "com.example.amqp");
        p.put(prefix + "time", "2026-11-22T10:00:00Z");
        return p;
    }

    private static void send(List<byte[]> bodies, List<Map<String, Object>> props, List<String> types) {
        ArtemisBroker broker = ArtemisResource.broker;
        broker.send(ArtemisResource.QUEUE, bodies, props, types);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void binaryModeWithEitherPrefixAndStructuredModeBecomeRows() {
        String p = "modes-" + UUID.randomUUID() + "-";
        Map<String, Object> colon = binary("cloudEvents:", p + "colon");
        colon.put("cloudEvents:priority", 7); // a native AMQP int
        colon.put("cloudEvents:urgent", true); // a native AMQP boolean
        Map<String, Object> underscore = binary("cloudEvents_", p + "underscore");
        String structured = "{\"specversion\":\"1.0\",\"id\":\"" + p + "structured\",\"source\":\"/amqp/s\","
                + "\"type\":\"com.example.s\",\"datacontenttype\":\"application/json\",\"data\":{\"n\":1}}";
        send(List.of(utf8("{\"a\":1}"), utf8("{\"b\":2}"), utf8(structured)),
                List.of(colon, underscore, Map.of()),
                List.of("application/json", "application/json", "application/cloudevents+json"));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 3);
        // settled once committed: nothing is left on the queue
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ArtemisResource.broker.messageCount(ArtemisResource.QUEUE) == 0);
        Map<String, Record> byId = new HashMap<>();
        rows(p).forEach(r -> byId.put((String) r.getField("id"), r));
        Record c = byId.get(p + "colon");
        assertThat(c.getField("source")).isEqualTo("/amqp/test");
        assertThat(c.getField("type")).isEqualTo("com.example.amqp");
        assertThat(c.getField("time").toString()).isEqualTo("2026-11-22T10:00Z");
        assertThat(c.getField("datacontenttype")).isEqualTo("application/json");
        assertThat(c.getField("data")).isEqualTo("{\"a\":1}");
        assertThat(c.getField("extensions")).isEqualTo(Map.of("priority", "7", "urgent", "true"));
        assertThat(byId.get(p + "underscore").getField("data")).isEqualTo("{\"b\":2}");
        assertThat(byId.get(p + "structured").getField("source")).isEqualTo("/amqp/s");
        assertThat(byId.get(p + "structured").getField("data")).isEqualTo("{\"n\":1}");
    }

    @Test
    void poisonMessagesAreDeadLetteredAndTheOthersLand() throws Exception {
        String p = "poison-" + UUID.randomUUID() + "-";
        Map<String, Object> noId = binary("cloudEvents:", "x");
        noId.remove("cloudEvents:id");
        noId.put("cloudEvents:source", "/" + p);
        send(List.of(utf8("{}"), utf8("{\"v\":1}"), utf8("just text " + p), utf8("{}")),
                List.of(binary("cloudEvents:", p + "good-1"), noId, Map.of(), binary("cloudEvents_", p + "good-2")),
                List.of("application/json", "application/json", "text/plain", "application/json"));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 2);
        assertThat(rows(p)).extracting(r -> r.getField("id")).containsExactlyInAnyOrder(p + "good-1", p + "good-2");

        Map<String, Message> byBody = new HashMap<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (Message m : ArtemisResource.broker.receive(ArtemisResource.DEAD_LETTERS, 100, 500)) {
                String body = ArtemisBroker.text(m);
                if (body.contains(p) || ("/" + p).equals(property(m, "cloudEvents:source"))) {
                    byBody.put(body, m);
                }
            }
            return byBody.size() >= 2;
        });
        assertThat(property(byBody.get("{\"v\":1}"), "floe_error_reason")).contains("id");
        assertThat(property(byBody.get("{\"v\":1}"), "floe_source_queue")).contains(ArtemisResource.QUEUE);
        assertThat(property(byBody.get("just text " + p), "floe_error_reason")).contains("not a CloudEvent");
    }

    @Test
    void aDeadLetterCarriesOnlyTheCloudEventsPropertiesNeverOnesThatSteerTheProducer() throws Exception {
        String p = "steer-" + UUID.randomUUID() + "-";
        String elsewhere = "steered-" + UUID.randomUUID();
        ArtemisResource.broker.createQueue(elsewhere);
        Map<String, Object> hostile = binary("cloudEvents:", "x");
        hostile.remove("cloudEvents:id");
        hostile.put("cloudEvents:source", "/" + p);
        // headers Camel's JMS producer obeys, and Floe's own reason headers, forged
        hostile.put("CamelJmsDestinationName", elsewhere);
        hostile.put("JMSCorrelationID", "forged");
        hostile.put("JMSType", "forged");
        hostile.put("floe_error_reason", "forged reason");
        send(List.of(utf8("{}"), utf8("{}")), List.of(hostile, binary("cloudEvents:", p + "good")),
                List.of("application/json", "application/json"));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 1);
        List<Message> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ArtemisResource.broker.receive(ArtemisResource.DEAD_LETTERS, 100, 500).stream()
                    .filter(m -> ("/" + p).equals(property(m, "cloudEvents:source"))).forEach(dead::add);
            return !dead.isEmpty();
        });
        Message letter = dead.get(0);
        assertThat(property(letter, "floe_error_reason")).contains("id").doesNotContain("forged");
        List<String> names = java.util.Collections.list(letter.getPropertyNames());
        assertThat(names).allMatch(n -> n.startsWith("cloudEvents") || n.startsWith("floe_")
                || n.startsWith("JMSX"), "only CloudEvents and floe_ properties");
        assertThat(letter.getJMSCorrelationID()).isNull();
        assertThat(ArtemisResource.broker.messageCount(elsewhere)).isZero();
    }

    @Test
    void aSerializedJavaObjectIsDeadLetteredUnread() throws Exception {
        String p = "object-" + UUID.randomUUID() + "-";
        java.nio.file.Path marker = java.nio.file.Path.of("target", p + "deserialized");
        Map<String, Object> props = binary("cloudEvents:", p + "object");
        ArtemisResource.broker.sendObject(ArtemisResource.QUEUE, new Tripwire(marker.toAbsolutePath().toString()),
                props);
        send(List.of(utf8("{}")), List.of(binary("cloudEvents:", p + "good")), List.of("application/json"));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 1);
        List<Message> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ArtemisResource.broker.receive(ArtemisResource.DEAD_LETTERS, 100, 500).stream()
                    .filter(m -> (p + "object").equals(property(m, "cloudEvents:id"))).forEach(dead::add);
            return !dead.isEmpty();
        });
        assertThat(property(dead.get(0), "floe_error_reason")).contains("serialized Java object");
        assertThat(property(dead.get(0), "floe_error_type")).isEqualTo("UnsupportedFormatException");
        assertThat(marker).as("the object was never deserialized").doesNotExist();
        assertThat(rows(p)).extracting(r -> r.getField("id")).containsExactly(p + "good");
        // and Qpid itself trusts no class, should anything ever ask it to deserialize
        var factory = (org.apache.qpid.jms.JmsConnectionFactory) camel
                .getComponent("amqp", org.apache.camel.component.amqp.AMQPComponent.class).getConfiguration()
                .getConnectionFactory();
        assertThat(factory.getDeserializationPolicy().isTrustedType(null, Tripwire.class)).isFalse();
        assertThat(factory.getDeserializationPolicy().isTrustedType(null, java.util.HashMap.class)).isFalse();
    }

    /** A serializable object that leaves a file behind when it is deserialized: the test's gadget. */
    public static final class Tripwire implements java.io.Serializable {

        private static final long serialVersionUID = 1L;
        private final String marker;

        Tripwire(String marker) {
            this.marker = marker;
        }

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            java.nio.file.Files.writeString(java.nio.file.Path.of(marker), "deserialized");
        }
    }

    @Test
    void aRedeliveredEventIsWrittenOnce() {
        String p = "redelivered-" + UUID.randomUUID() + "-";
        send(List.of(utf8("{}")), List.of(binary("cloudEvents:", p + "1")),
                java.util.Arrays.asList("application/json"));
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 1);
        // the same event again, as a broker delivers it after a lost settlement
        send(List.of(utf8("{}"), utf8("{}")), List.of(binary("cloudEvents:", p + "1"), binary("cloudEvents:", p + "2")),
                java.util.Arrays.asList("application/json", "application/json"));
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() >= 2);
        assertThat(rows(p)).extracting(r -> (String) r.getField("id")).containsExactlyInAnyOrder(p + "1", p + "2");
    }

    @Test
    void pastThePendingLimitTheConsumerWaitsForCommitsInsteadOfHandingMessagesBack() {
        String p = "full-" + UUID.randomUUID() + "-";
        int n = 8 * ArtemisResource.MAX_PENDING;
        new Messages(p, n).send(0, n);

        await().atMost(Duration.ofSeconds(60)).until(() -> rows(p).size() >= n);
        assertThat(rows(p)).extracting(r -> (String) r.getField("id")).hasSize(n).doesNotHaveDuplicates();
        // no commit held more than the limit allows to wait at once...
        assertThat(Tables.largestCommit(catalog, TABLE)).isLessThanOrEqualTo(ArtemisResource.MAX_PENDING);
        // ...and no message went back to the broker to be delivered again at once
        Counter released = registry.find("floe.amqp.returned").tag("reason", "too-many-pending").counter();
        assertThat(released == null ? 0 : released.count()).isZero();
    }

    /** n binary-mode messages with ids prefix + i. */
    private record Messages(List<byte[]> bodies, List<Map<String, Object>> props, List<String> types) {

        Messages(String prefix, int n) {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < n; i++) {
                bodies.add(utf8("{\"i\":" + i + "}"));
                props.add(binary("cloudEvents:", prefix + i));
                types.add("application/json");
            }
        }

        /** Sends messages [from, to) to Floe's queue. */
        void send(int from, int to) {
            AmqpToIcebergIT.send(bodies.subList(from, to), props.subList(from, to), types.subList(from, to));
        }
    }

    @Test
    void aBrokerRestartMidStreamLosesNothing() throws Exception {
        String p = "restart-" + UUID.randomUUID() + "-";
        int n = 400;
        Messages messages = new Messages(p, n);
        messages.send(0, n / 2);
        ArtemisResource.broker.stop();
        ArtemisResource.broker.start();
        messages.send(n / 2, n);
        await().atMost(Duration.ofSeconds(90)).until(() -> rows(p).size() >= n);
        assertThat(rows(p)).extracting(r -> (String) r.getField("id")).hasSize(n).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ArtemisResource.broker.messageCount(ArtemisResource.QUEUE) == 0);
    }

    private static String property(Message m, String name) {
        try {
            return m.getStringProperty(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
