package dev.floe.camel.iceberg.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * Whatever a sender writes, the shared readers return valid events or throw one of their own exceptions, which every
 * source maps to a 4xx or a dead letter: never anything else (a 5xx, a replay loop).
 */
class ReaderPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DefaultCamelContext CONTEXT = new DefaultCamelContext();
    private static final List<String> ATTRIBUTES = List.of("specversion", "id", "source", "type", "subject", "time",
            "datacontenttype", "dataschema", "data", "data_base64", "ext", "Bad-Name", "");

    @Property(tries = 150)
    void structuredEvents(@ForAll("events") JsonNode event) {
        byte[] body = event.toString().getBytes(StandardCharsets.UTF_8);
        readsOrRefuses(() -> List.of(JsonEventReader.readEvent(body)));
    }

    @Property(tries = 50)
    void batches(@ForAll("batches") JsonNode batch) {
        byte[] body = batch.toString().getBytes(StandardCharsets.UTF_8);
        readsOrRefuses(() -> JsonEventReader.readBatch(body));
    }

    @Property(tries = 100)
    void anyBytes(@ForAll("bodies") byte[] body) {
        readsOrRefuses(() -> List.of(JsonEventReader.readEvent(body)));
        readsOrRefuses(() -> JsonEventReader.readBatch(body));
    }

    @Property(tries = 100)
    void binaryMode(@ForAll("headers") Map<String, Object> headers, @ForAll("contentTypes") String contentType,
            @ForAll("bodies") byte[] body) {
        for (BinaryModeReader.Binding binding : List.of(BinaryModeReader.Binding.HTTP,
                BinaryModeReader.Binding.KAFKA, BinaryModeReader.Binding.AMQP)) {
            Message message = new DefaultExchange(CONTEXT).getIn();
            headers.forEach(message::setHeader);
            if (contentType != null) {
                message.setHeader("Content-Type", contentType);
            }
            message.setBody(body);
            readsOrRefuses(() -> CloudEventMessages.read(message, binding));
        }
    }

    private static void readsOrRefuses(java.util.function.Supplier<List<CloudEvent>> read) {
        List<CloudEvent> events;
        try {
            events = read.get();
        } catch (InvalidCloudEventException | UnsupportedFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        for (CloudEvent event : events) {
            assertThat(event.getId()).isNotEmpty();
            assertThat(event.getSource()).isNotNull();
            assertThat(event.getType()).isNotEmpty();
            assertThat(CloudEventLimits.utf8Length(event.getId()))
                    .isLessThanOrEqualTo(CloudEventLimits.DEFAULT_MAX_ATTRIBUTE_BYTES);
            assertThat(event.getExtensionNames()).hasSizeLessThanOrEqualTo(CloudEventLimits.DEFAULT_MAX_EXTENSIONS);
        }
    }

    @Provide
    Arbitrary<JsonNode> events() {
        return Arbitraries.maps(Arbitraries.of(ATTRIBUTES), values()).ofMaxSize(ATTRIBUTES.size())
                .map(fields -> {
                    // start from a valid event so that mutations reach the deeper checks
                    ObjectNode event = NODES.objectNode().put("specversion", "1.0").put("id", "1").put("source", "/s")
                            .put("type", "t");
                    fields.forEach(event::set);
                    return (JsonNode) event;
                });
    }

    @Provide
    Arbitrary<JsonNode> batches() {
        return Arbitraries.oneOf(events(), values()).list().ofMaxSize(5).map(items -> {
            ArrayNode batch = NODES.arrayNode();
            items.forEach(batch::add);
            return (JsonNode) batch;
        });
    }

    /** Strings of any code points (control characters, surrogates, RTL...), long ones, numbers, nesting. */
    private Arbitrary<JsonNode> values() {
        Arbitrary<JsonNode> text = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.of("1.0", "0.3", "/s", "urn:x", "http://x/y?z", "2024-01-01T00:00:00Z",
                        "application/json", "text/plain; charset=utf-8", "AAAA", "not base64!", "%zz", "a b"),
                Arbitraries.strings().withChars('x', 'é', '\u0000').ofMinLength(2000).ofMaxLength(5000))
                .map(NODES::textNode);
        Arbitrary<JsonNode> number = Arbitraries.oneOf(
                Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l)),
                Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(3000)
                        .map(digits -> (JsonNode) NODES.numberNode(new java.math.BigInteger(digits))));
        Arbitrary<JsonNode> nested = Arbitraries.integers().between(1, 900).map(ReaderPropertiesTest::deep);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, text),
                net.jqwik.api.Tuple.of(2, number),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(NODES.booleanNode(true), NODES.nullNode(),
                        NODES.objectNode().put("a", 1), NODES.arrayNode().add("x"))),
                net.jqwik.api.Tuple.of(1, nested));
    }

    private static JsonNode deep(int depth) {
        JsonNode node = NODES.objectNode().put("leaf", true);
        for (int i = 0; i < depth; i++) {
            node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("n", node);
        }
        return node;
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                events().map(e -> e.toString().getBytes(StandardCharsets.UTF_8)),
                values().map(v -> v.toString().getBytes(StandardCharsets.UTF_8)),
                Arbitraries.integers().between(1, 3000).map(d -> ("[".repeat(d) + "]".repeat(d))
                        .getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of(new byte[0], "{}".getBytes(StandardCharsets.UTF_8),
                        "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<Map<String, Object>> headers() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("ce-", "ce_", "CE-", "cloudEvents:", "cloudEvents_", "x-"),
                        Arbitraries.oneOf(Arbitraries.of("specversion", "id", "source", "type", "subject", "time",
                                "datacontenttype", "dataschema", "ext"), Arbitraries.strings().all().ofMaxLength(10)))
                        .as(String::concat),
                Arbitraries.strings().all().ofMaxLength(10));
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.of("1.0", "1", "/s", "t", "urn:x", "2024-01-01T00:00:00Z", "%", "%e2%82", "%C3%A9"),
                Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().withChars('i').ofMinLength(2040).ofMaxLength(2100),
                Arbitraries.strings().all().ofMaxLength(20).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20),
                Arbitraries.integers(), Arbitraries.longs(), Arbitraries.doubles(),
                Arbitraries.of(Boolean.TRUE, new Date(0), List.of("a", "b"), List.of("1.0"), new ArrayList<>(),
                        new Object()))
                .injectNull(0.05);
        return Arbitraries.maps(names, values).ofMaxSize(40).map(headers -> {
            // a valid core most of the time, so that the other headers are what is judged
            Map<String, Object> all = new java.util.LinkedHashMap<>(Map.of("ce-specversion", "1.0", "ce_specversion",
                    "1.0", "cloudEvents:specversion", "1.0", "ce-id", "1", "ce_id", "1", "cloudEvents:id", "1",
                    "ce-source", "/s", "ce_source", "/s", "cloudEvents:source", "/s"));
            all.putAll(headers);
            return all;
        });
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.oneOf(
                Arbitraries.of("application/json", "application/cloudevents+json",
                        "application/cloudevents-batch+json", "application/cloudevents+json; charset=latin1",
                        "application/cloudevents+xml", "text/plain", "application/x+json; charset=", ";", ""),
                Arbitraries.strings().all().ofMaxLength(30)).injectNull(0.1);
    }
}
