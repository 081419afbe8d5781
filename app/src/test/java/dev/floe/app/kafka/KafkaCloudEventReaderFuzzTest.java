package dev.floe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.floe.app.FloeConfig;
import dev.floe.app.TestMetrics;
import dev.floe.app.routing.UnroutableEventException;
import dev.floe.camel.iceberg.IncompatibleSchemaException;
import dev.floe.camel.iceberg.SourcedEvent;
import dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException;
import dev.floe.camel.iceberg.cloudevents.UnsupportedFormatException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Whatever a producer writes into a record (headers, content type, value), the Kafka binding gives one valid event or
 * an exception the route dead-letters (routes/kafka-to-iceberg.yaml); any other exception would replay the record
 * forever and pause every partition. The record goes through the route's header allow-list as camel-kafka applies it.
 */
class KafkaCloudEventReaderFuzzTest {

    /** The exceptions that send a record to the dead-letter topic (any other fails the poll, and replays it). */
    static final Set<Class<? extends Exception>> DEAD_LETTERED = Set.of(InvalidCloudEventException.class,
            UnsupportedFormatException.class, IncompatibleSchemaException.class, UnroutableEventException.class,
            OversizedRecordException.class);

    private static final DefaultCamelContext CAMEL = camel();
    private static final KafkaHeaderAllowList ALLOW_LIST = new KafkaHeaderAllowList();

    private final KafkaCloudEventReader reader = reader();

    /**
     * Camel looks for its context plugins (floe-routes-beans ships one) in the application class loader, the thread's
     * by default. KafkaFuzzIT loads this class under Quarkus, whose thread loader is another: pinned to this class's
     * own, the plugin found is one of this class's Camel.
     */
    private static DefaultCamelContext camel() {
        DefaultCamelContext camel = new DefaultCamelContext(false);
        camel.setApplicationContextClassLoader(KafkaCloudEventReaderFuzzTest.class.getClassLoader());
        camel.build();
        return camel;
    }

    private static KafkaCloudEventReader reader() {
        KafkaCloudEventReader reader = new KafkaCloudEventReader();
        // small, so that large values meet the limit
        reader.config = new SmallRyeConfigBuilder().withMapping(FloeConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("floe.kafka.max-record-bytes", "65536"), "test", 500))
                .build().getConfigMapping(FloeConfig.class);
        reader.metrics = TestMetrics.inMemory();
        return reader;
    }

    @Property(tries = 400)
    void anyRecordIsAnEventOrADeadLetter(@ForAll("records") ConsumerRecord<byte[], byte[]> record) {
        assertEventOrDeadLetter(reader, record);
    }

    @Example
    void aHeaderWithoutAValueIsAnInvalidEventNotACrash() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("fuzz", 0, 7L, null, utf8("{}"));
        wellFormedHeaders().forEach(t -> record.headers().add(t.get1(), t.get2()));
        record.headers().add("ce_subject", null);
        assertEventOrDeadLetter(reader, record);
    }

    static void assertEventOrDeadLetter(KafkaCloudEventReader reader, ConsumerRecord<byte[], byte[]> record) {
        Message message = asCamelKafkaDelivers(record).getIn();
        PolledRecord polled = new PolledRecord(
                new SourcePosition(new TopicPartition(record.topic(), record.partition()), record.offset(),
                        record.key()),
                message, record.value());
        Exchange poll = new DefaultExchange(CAMEL);
        poll.getIn().setBody(new KafkaPoll(Generation.none(), List.of(polled), null));
        try {
            reader.process(poll);
        } catch (Exception e) {
            throw new AssertionError(e + " is not dead-lettered by the route (it would replay the poll)", e);
        }
        if (polled.rejection() != null) {
            assertThat(DEAD_LETTERED).as("the route dead-letters %s", polled.rejection())
                    .anyMatch(type -> type.isInstance(polled.rejection()));
            return;
        }
        var event = polled.event().event();
        assertThat(event.getId()).isNotEmpty();
        assertThat(event.getSource()).isNotNull();
        assertThat(event.getType()).isNotEmpty();
        assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
    }

    /** The exchange camel-kafka's consumer makes of a record: allowed headers as bytes, topic/partition/offset/key. */
    static Exchange asCamelKafkaDelivers(ConsumerRecord<byte[], byte[]> record) {
        Exchange exchange = new DefaultExchange(CAMEL);
        Message in = exchange.getIn();
        in.setHeader(KafkaConstants.TOPIC, record.topic());
        in.setHeader(KafkaConstants.PARTITION, record.partition());
        in.setHeader(KafkaConstants.OFFSET, record.offset());
        in.setHeader(KafkaConstants.KEY, record.key());
        for (Header header : record.headers()) {
            if (!ALLOW_LIST.applyFilterToExternalHeaders(header.key(), header.value(), exchange)) {
                in.setHeader(header.key(), header.value());
            }
        }
        in.setBody(record.value());
        return exchange;
    }

    @Provide
    Arbitrary<ConsumerRecord<byte[], byte[]>> records() {
        Arbitrary<List<Tuple.Tuple2<String, byte[]>>> bases = Arbitraries.oneOf(Arbitraries.just(wellFormedHeaders()),
                Arbitraries.just(List.of()));
        Arbitrary<List<Tuple.Tuple2<String, byte[]>>> headers = bases
                .flatMap(base -> header().list().ofMaxSize(8).map(extra -> {
                    List<Tuple.Tuple2<String, byte[]>> all = new java.util.ArrayList<Tuple.Tuple2<String, byte[]>>(
                            base);
                    all.addAll(extra);
                    java.util.Collections.shuffle(all, new java.util.Random(extra.size()));
                    return all;
                }));
        return net.jqwik.api.Combinators.combine(headers, value(), Arbitraries.of(true, false))
                .as((h, value, keyed) -> {
                    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("fuzz", 0, 7L,
                            keyed ? "k".getBytes(StandardCharsets.UTF_8) : null, value);
                    h.forEach(t -> record.headers().add(t.get1(), t.get2()));
                    return record;
                });
    }

    /** A valid binary-mode event's headers, which the extra headers then add to, repeat or spoil. */
    static List<Tuple.Tuple2<String, byte[]>> wellFormedHeaders() {
        return List.of(Tuple.of("ce_specversion", utf8("1.0")), Tuple.of("ce_id", utf8("fuzz-1")),
                Tuple.of("ce_source", utf8("/fuzz")), Tuple.of("ce_type", utf8("com.example.fuzz")),
                Tuple.of("content-type", utf8("application/json")));
    }

    static Arbitrary<Tuple.Tuple2<String, byte[]>> header() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject",
                        "ce_dataschema", "ce_datacontenttype", "ce_data", "ce_data_base64", "content-type",
                        "Content-Type", "CE_ID", "ce_", "ce_ID", "traceparent", "kafka.OVERRIDE_TOPIC",
                        "CamelJmsDestinationName", "ce_tenant"),
                Arbitraries.strings().ofMaxLength(20).map(s -> "ce_" + s),
                Arbitraries.strings().ofMaxLength(20));
        return net.jqwik.api.Combinators.combine(names, headerValue()).as(Tuple::of);
    }

    static Arbitrary<byte[]> headerValue() {
        return Arbitraries.oneOf(
                Arbitraries.of("1.0", "0.3", "", " ", "application/json", "application/cloudevents+json",
                        "application/cloudevents+json; charset=utf-8", "application/cloudevents-batch+json",
                        "text/plain", "application/octet-stream", ";;;", "2026-11-22T10:00:00Z", "not-a-time",
                        "%", "%ZZ", "%00", "http://[::1", "/ok", "\u0000", "\uD800")
                        .map(KafkaCloudEventReaderFuzzTest::utf8),
                Arbitraries.strings().ofMaxLength(40).map(KafkaCloudEventReaderFuzzTest::utf8),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                // huge values, and Kafka's null header value
                Arbitraries.just(new byte[200_000]), Arbitraries.just(utf8("x".repeat(100_000))),
                Arbitraries.just((byte[]) null));
    }

    static Arbitrary<byte[]> value() {
        Arbitrary<String> structured = Arbitraries.of(
                "{\"specversion\":\"1.0\",\"id\":\"s\",\"source\":\"/s\",\"type\":\"t\",\"data\":{\"a\":1}}",
                "{\"specversion\":\"1.0\",\"id\":\"s\",\"source\":\"/s\",\"type\":\"t\",\"data_base64\":\"!!\"}",
                "{\"specversion\":\"1.0\",\"id\":1,\"source\":{},\"type\":[],\"time\":\"x\"}",
                "[{\"specversion\":\"1.0\",\"id\":\"s\",\"source\":\"/s\",\"type\":\"t\"}]",
                "{\"specversion\":\"1.0\",\"id\":\"s\",\"source\":\"/s\",\"type\":\"t\",\"ext-bad\":\"x\"}",
                "{\"specversion\":\"1.0\",\"id\":\"s\",\"source\":\"/s\",\"type\":\"t\",\"data\":" + "[".repeat(3000)
                        + "]".repeat(3000) + "}",
                "{\"specversion\":\"1.0\",\"id\":\"s\",\"source\":\"/s\",\"type\":\"t\",\"n\":1e999999999}",
                "{", "null", "\"str\"", "{\"a\":1}");
        return Arbitraries.oneOf(structured.map(KafkaCloudEventReaderFuzzTest::utf8),
                Arbitraries.strings().ofMaxLength(100).map(KafkaCloudEventReaderFuzzTest::utf8),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(100), Arbitraries.just(new byte[0]),
                Arbitraries.just((byte[]) null), Arbitraries.just(new byte[70_000]));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
