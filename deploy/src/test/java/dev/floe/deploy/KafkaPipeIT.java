package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.testing.KafkaBroker;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.component.kamelet.KameletComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.errorhandler.DeadLetterChannelDefinition;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.support.ResourceHelper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/camel-k/pipe-kafka.yaml itself, loaded by camel-yaml-dsl as Camel JBang runs a Pipe (the route the Camel K
 * operator makes of it is the same: source Kamelet, step Kamelets, sink Kamelet, the errorHandler sink as a dead letter
 * channel with the Pipe's parameters). Only the addresses are the test's. The Kafka Kamelets are the real ones of the
 * Apache Camel Kamelet catalogue jar of our Camel line; a Kafka broker and Iceberg's REST catalog server run in this
 * JVM, and the fault is the catalog server stopped.
 */
class KafkaPipeIT {

    static final Path PIPE = Repository.K8S.resolve("camel-k/pipe-kafka.yaml");
    /**
     * The catalogue of our Camel line (4.15) names the Kafka Kamelets without authentication kafka-not-secured-*;
     * 4.18 removed those and made kafka-source and kafka-sink work without authentication by default. Same template
     * (a kafka: endpoint with the same consumer options), same parameters for what the Pipe sets.
     */
    static final Map<String, String> CATALOGUE_NAMES = Map.of("kafka-source", "kafka-not-secured-source",
            "kafka-sink", "kafka-not-secured-sink");

    static KafkaBroker kafka;

    @TempDir
    Path dir;

    ProcessRestCatalog catalog;
    DefaultCamelContext camel;
    String topic;
    String deadLetters;
    String group;
    final AtomicInteger redeliveries = new AtomicInteger();

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void start(TestInfo test) throws Exception {
        catalog = ProcessRestCatalog.start(dir);
        String name = test.getTestMethod().orElseThrow().getName().toLowerCase();
        topic = "events-" + name;
        deadLetters = "dead-" + name;
        kafka.createTopic(topic, 1);
        kafka.createTopic(deadLetters, 1);
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (catalog != null) {
            catalog.close();
        }
    }

    /** Starts the Pipe as Camel loads one, with or without its error handler; only the addresses are the test's. */
    void startPipe(boolean withErrorHandler) throws Exception {
        ObjectNode pipe = (ObjectNode) Repository.read(PIPE);
        ObjectNode spec = (ObjectNode) pipe.get("spec");
        group = spec.at("/source/properties/consumerGroup").asText() + "-" + topic;
        ((ObjectNode) spec.at("/source/properties")).put("bootstrapServers", kafka.bootstrapServers())
                .put("topic", topic).put("consumerGroup", group);
        ObjectNode sink = (ObjectNode) spec.at("/sink/properties");
        assertThat(sink.path("table").asText()).isEqualTo(ProcessRestCatalog.TABLE.toString());
        // the test's catalog: a REST catalog server with one warehouse of its own
        sink.put("catalogUri", "http://127.0.0.1:" + catalog.port()).remove("warehouse");
        ((ObjectNode) spec.at("/errorHandler/sink/endpoint/properties"))
                .put("bootstrapServers", kafka.bootstrapServers()).put("topic", deadLetters);
        assertThatParametersBind(spec.at("/errorHandler/sink/parameters"));
        if (!withErrorHandler) {
            spec.remove("errorHandler");
        }
        useCatalogueNames((ObjectNode) spec.get("source"));
        if (withErrorHandler) {
            useCatalogueNames((ObjectNode) spec.at("/errorHandler/sink/endpoint"));
        }

        camel = new DefaultCamelContext();
        // Camel K reads the mounted Secret floe-catalog as properties
        camel.getPropertiesComponent().setInitialProperties(properties("floe.catalog.credential", "floe:s3cr3t"));
        // Floe's Kamelets from kamelets/, the catalogue's from its jar
        camel.getComponent("kamelet", KameletComponent.class)
                .setLocation("file:" + Repository.KAMELETS + ",classpath:kamelets");
        camel.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {

            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeRedeliveryEvent) {
                    redeliveries.incrementAndGet();
                }
            }
        });
        // camel-yaml-dsl turns a Pipe into its route (as Camel JBang runs one): from the source Kamelet, the steps as
        // kamelet EIPs, to the sink Kamelet, and the errorHandler sink as a dead letter channel with the parameters
        PluginHelper.getRoutesLoader(camel)
                .loadRoutes(ResourceHelper.fromString("pipe-kafka.yaml", Repository.YAML.writeValueAsString(pipe)));
        camel.start();
    }

    static Properties properties(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return properties;
    }

    /** Binds a Kafka end of the Pipe to the catalogue jar's Kamelet, after checking that it declares what is bound. */
    static void useCatalogueNames(ObjectNode end) throws Exception {
        ObjectNode ref = (ObjectNode) end.get("ref");
        String name = CATALOGUE_NAMES.get(ref.path("name").asText());
        assertThat(name).as(ref.toString()).isNotNull();
        ref.put("name", name);
        JsonNode definition = catalogueKamelet(name).at("/spec/definition");
        Set<String> given = new HashSet<>();
        end.path("properties").fieldNames().forEachRemaining(given::add);
        assertThat(given).as(name).allMatch(p -> definition.path("properties").has(p));
        definition.path("required").forEach(r -> assertThat(given).as(name).contains(r.asText()));
    }

    static JsonNode catalogueKamelet(String name) throws Exception {
        try (var in = KafkaPipeIT.class.getResourceAsStream("/kamelets/" + name + ".kamelet.yaml")) {
            assertThat(in).as("the catalogue jar has " + name).isNotNull();
            return Repository.YAML.readTree(in);
        }
    }

    /** camel-yaml-dsl skips a parameter that names no option of the dead letter channel: here it must fail. */
    void assertThatParametersBind(JsonNode parameters) throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        parameters.fields().forEachRemaining(p -> values.put(p.getKey(), p.getValue().asText()));
        assertThat(values).containsKeys("maximumRedeliveries", "redeliveryDelay", "useOriginalMessage");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PropertyBindingSupport.build().withCamelContext(context).withTarget(new DeadLetterChannelDefinition())
                    .withProperties(values).withIgnoreCase(true).withFluentBuilder(true).withMandatory(true).bind();
        }
    }

    int maximumRedeliveries() {
        return Repository.read(PIPE).at("/spec/errorHandler/sink/parameters/maximumRedeliveries").asInt();
    }

    /** Sends a CloudEvent in binary mode (Kafka protocol binding). */
    void send(String id) {
        kafka.send(event(id, "dev.floe.pipe"));
    }

    ProducerRecord<byte[], byte[]> event(String id, String type) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, 0, null, bytes("{\"id\":\"" + id + "\"}"));
        r.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(id)).add("ce_source", bytes("/kafka/pipe"))
                .add("content-type", bytes("application/json"));
        if (type != null) {
            r.headers().add("ce_type", bytes(type));
        }
        return r;
    }

    /** The group's committed offset of the topic's partition: where the group starts again after a restart. */
    long committed() {
        var offset = kafka.committed(group).get(new TopicPartition(topic, 0));
        return offset == null ? -1 : offset.offset();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void catalogUpEachRecordIsCommittedToTheTableThenItsOffset() throws Exception {
        startPipe(true);
        for (String id : List.of("up-1", "up-2", "up-3")) {
            send(id);
        }

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> catalog.ids().size() == 3);
        assertThat(catalog.ids()).containsExactlyInAnyOrder("up-1", "up-2", "up-3");
        // kafka-source hands over one record at a time and waits for it: one commit per record
        assertThat(catalog.snapshots()).hasSize(3);
        // auto-commit (kafka-source's default) commits the position once the records were processed
        await().atMost(Duration.ofSeconds(30)).until(() -> committed() == 3);
        assertThat(redeliveries).hasValue(0);
    }

    @Test
    void catalogDownTheRecordIsRedeliveredThenDeadLetteredAndItsOffsetCommitted() throws Exception {
        startPipe(true);
        send("ok-1");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> catalog.ids().size() == 1);

        // the fault: the REST catalog server goes away (its port refuses connections)
        catalog.stopServer();
        send("down-2");
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.readAll(deadLetters, 1, Duration.ofSeconds(90));
        assertThat(dead).hasSize(1);
        assertThat(redeliveries).as("the Pipe's maximumRedeliveries").hasValue(maximumRedeliveries());
        // the record as it came (useOriginalMessage), so it can be replayed from the dead letter topic
        assertThat(header(dead.get(0), "ce_id")).isEqualTo("down-2");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"down-2\"}");

        // the catalog is back: later records are written; the dead-lettered one is not replayed from the topic
        catalog.startServer();
        send("ok-3");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> catalog.ids().size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> committed() == 3);
        assertThat(catalog.ids()).containsExactlyInAnyOrder("ok-1", "ok-3");

        // an invalid event (no type) takes the same way: retried, then dead-lettered
        kafka.send(event("bad-4", null));
        assertThat(kafka.readAll(deadLetters, 2, Duration.ofSeconds(60))).extracting(r -> header(r, "ce_id"))
                .containsExactly("down-2", "bad-4");
        assertThat(redeliveries).hasValue(2 * maximumRedeliveries());
        await().atMost(Duration.ofSeconds(30)).until(() -> committed() == 4);
        assertThat(catalog.ids()).containsExactlyInAnyOrder("ok-1", "ok-3");
    }

    @Test
    void catalogDownWithoutTheErrorHandlerTheRecordIsSkippedAndItsOffsetCommitted() throws Exception {
        startPipe(false);
        send("ok-1");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> catalog.ids().size() == 1);

        catalog.stopServer();
        send("lost-2");
        // kafka-source logs the failure and goes on; auto-commit then commits past the record
        await().atMost(Duration.ofSeconds(60)).until(() -> committed() == 2);
        catalog.startServer();
        send("ok-3");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> catalog.ids().size() == 2);
        assertThat(catalog.ids()).containsExactlyInAnyOrder("ok-1", "ok-3");
        assertThat(kafka.readAll(deadLetters, 1, Duration.ofSeconds(2))).isEmpty();
    }
}
