package dev.floe.app.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.floe.app.FloeConfig;
import dev.floe.app.routing.UnroutableEventException;
import dev.floe.camel.iceberg.IncompatibleSchemaException;
import dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException;
import dev.floe.camel.iceberg.cloudevents.UnsupportedFormatException;
import io.cloudevents.CloudEvent;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsBinding;
import org.apache.camel.component.jms.JmsMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.qpid.jms.provider.amqp.message.AmqpJmsBytesMessageFacade;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.UnsignedLong;

/**
 * Whatever a sender puts into an AMQP message (application properties of any AMQP type under any name, content type,
 * body), the AMQP binding gives one valid event or an exception the route dead-letters (routes/amqp-to-iceberg.yaml);
 * any other exception makes the message a failed delivery, delivered again and again until the broker drops or
 * dead-letters it. Messages are real Qpid JMS messages, seen through Camel's JMS binding as the route sees them.
 */
class AmqpCloudEventReaderFuzzTest {

    /** routes/amqp-to-iceberg.yaml: the exceptions that send a message to the dead-letter queue. */
    static final Set<Class<? extends Exception>> DEAD_LETTERED = Set.of(InvalidCloudEventException.class,
            UnsupportedFormatException.class, IncompatibleSchemaException.class, UnroutableEventException.class);

    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();

    private final AmqpCloudEventReader reader = reader();

    private static AmqpCloudEventReader reader() {
        AmqpCloudEventReader reader = new AmqpCloudEventReader();
        reader.config = new SmallRyeConfigBuilder().withMapping(FloeConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("floe.amqp.max-message-bytes", "65536"), "test", 500))
                .build().getConfigMapping(FloeConfig.class);
        return reader;
    }

    @Property(tries = 400)
    void anyMessageIsAnEventOrADeadLetter(@ForAll("properties") List<Tuple.Tuple2<String, Object>> properties,
            @ForAll("contentTypes") String contentType, @ForAll("bodies") byte[] body) throws Exception {
        Exchange exchange = asTheRouteReceives(properties, contentType, body);
        try {
            reader.process(exchange);
        } catch (Exception e) {
            if (DEAD_LETTERED.stream().noneMatch(type -> type.isInstance(e))) {
                throw new AssertionError(e + " is not dead-lettered by the route (a failed delivery, again and again)",
                        e);
            }
            return;
        }
        List<?> events = exchange.getIn().getBody(List.class);
        assertThat(events).hasSize(1);
        CloudEvent event = (CloudEvent) events.get(0);
        assertThat(event.getId()).isNotEmpty();
        assertThat(event.getType()).isNotEmpty();
        assertThat(event.getSource()).isNotNull();
    }

    @Example
    void aWellFormedMessageIsAnEvent() throws Exception {
        Exchange exchange = asTheRouteReceives(wellFormed(), "application/json", utf8("{\"a\":1}"));
        reader.process(exchange);
        assertThat(((CloudEvent) exchange.getIn().getBody(List.class).get(0)).getId()).isEqualTo("fuzz-1");
    }

    /** A Qpid JMS bytes message with these application properties (any AMQP type), read through Camel's binding. */
    static Exchange asTheRouteReceives(List<Tuple.Tuple2<String, Object>> properties, String contentType, byte[] body)
            throws Exception {
        AmqpJmsBytesMessageFacade facade = new AmqpJmsBytesMessageFacade();
        facade.getOutputStream().write(body);
        for (Tuple.Tuple2<String, Object> p : properties) {
            facade.setApplicationProperty(p.get1(), p.get2());
        }
        if (contentType != null) {
            facade.setContentType(Symbol.valueOf(contentType));
        }
        facade.reset();
        var jms = facade.asJmsMessage();
        jms.onDispatch();
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.setIn(new JmsMessage(exchange, jms, null, new JmsBinding()));
        return exchange;
    }

    static List<Tuple.Tuple2<String, Object>> wellFormed() {
        return List.of(Tuple.of("cloudEvents:specversion", "1.0"), Tuple.of("cloudEvents:id", "fuzz-1"),
                Tuple.of("cloudEvents:source", "/fuzz"), Tuple.of("cloudEvents:type", "com.example.fuzz"));
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<String, Object>>> properties() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of("cloudEvents:specversion", "cloudEvents:id", "cloudEvents:source", "cloudEvents:type",
                        "cloudEvents:time", "cloudEvents:subject", "cloudEvents:dataschema",
                        "cloudEvents:datacontenttype", "cloudEvents_id", "cloudEvents_time", "CLOUDEVENTS:ID",
                        "cloudEvents:", "cloudEvents_", "cloudEvents:tenant", "CamelJmsDestinationName",
                        "JMSXGroupID"),
                Arbitraries.strings().ofMaxLength(20).map(s -> "cloudEvents:" + s),
                Arbitraries.strings().ofMaxLength(20));
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.of("1.0", "0.3", "", "/ok", "2026-11-22T10:00:00Z", "nope", "http://[::1", "\u0000",
                        "\uD800"),
                Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
                Arbitraries.just("x".repeat(100_000)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(b -> (Object) new Binary(b)),
                Arbitraries.integers().map(i -> (Object) i), Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.doubles().map(d -> (Object) d), Arbitraries.floats().map(f -> (Object) f),
                Arbitraries.chars().map(c -> (Object) c),
                Arbitraries.longs().map(l -> (Object) new Date(l)),
                Arbitraries.just((Object) UUID.randomUUID()),
                Arbitraries.integers().map(i -> (Object) UnsignedInteger.valueOf(i & 0x7fffffff)),
                Arbitraries.longs().greaterOrEqual(0).map(l -> (Object) UnsignedLong.valueOf(l)),
                Arbitraries.strings().ofMaxLength(10).map(s -> (Object) Symbol.valueOf(s)),
                Arbitraries.just((Object) List.of("a", "b")), Arbitraries.just((Object) Map.of("k", "v")),
                Arbitraries.just((Object) new java.math.BigDecimal("1.5")),
                Arbitraries.just(null));
        Arbitrary<List<Tuple.Tuple2<String, Object>>> extra = Combinators.combine(names, values).as(Tuple::of)
                .list().ofMaxSize(8);
        return Arbitraries
                .oneOf(Arbitraries.just(wellFormed()), Arbitraries.just(List.<Tuple.Tuple2<String, Object>>of()))
                .flatMap(base -> extra.map(more -> {
                    List<Tuple.Tuple2<String, Object>> all = new java.util.ArrayList<Tuple.Tuple2<String, Object>>(
                            base);
                    all.addAll(more);
                    return all;
                }));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.oneOf(Arbitraries.of("application/json", "application/cloudevents+json",
                "application/cloudevents+json; charset=utf-8", "application/cloudevents-batch+json", "text/plain",
                "application/octet-stream", "", ";;;", "application/json; charset=latin1"),
                Arbitraries.strings().ofMaxLength(30), Arbitraries.just(null));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.of("{\"specversion\":\"1.0\",\"id\":\"s\",\"source\":\"/s\",\"type\":\"t\",\"data\":1}",
                        "{\"specversion\":\"1.0\",\"id\":1,\"source\":{},\"type\":[]}", "{", "null", "[]",
                        "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}").map(AmqpCloudEventReaderFuzzTest::utf8),
                Arbitraries.strings().ofMaxLength(100).map(AmqpCloudEventReaderFuzzTest::utf8),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(100), Arbitraries.just(new byte[0]),
                Arbitraries.just(new byte[70_000]));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
