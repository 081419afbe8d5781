package dev.floe.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException;
import dev.floe.camel.iceberg.cloudevents.UnsupportedFormatException;
import io.cloudevents.CloudEvent;
import org.apache.camel.Exchange;
import org.apache.camel.converter.stream.ByteArrayInputStreamCache;
import org.apache.camel.converter.stream.InputStreamCache;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class HttpCloudEventReaderTest {

    private final HttpCloudEventReader reader = new HttpCloudEventReader();

    private Exchange exchange(String body, String... headers) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
        for (int i = 0; i < headers.length; i += 2) {
            exchange.getIn().setHeader(headers[i], headers[i + 1]);
        }
        exchange.getIn().setBody(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    @SuppressWarnings("unchecked")
    private List<CloudEvent> read(Exchange exchange) {
        reader.process(exchange);
        return exchange.getIn().getBody(List.class);
    }

    /** The binary-mode example of the HTTP binding spec (v1.0.2, 3.1.4). */
    @Test
    void specBinaryExample() {
        List<CloudEvent> events = read(exchange("{\"much\":\"wow\"}",
                "ce-specversion", "1.0", "ce-type", "com.example.someevent", "ce-time", "2018-04-05T03:56:24Z",
                "ce-id", "1234-1234-1234", "ce-source", "/mycontext/subcontext",
                "Content-Type", "application/json; charset=utf-8"));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getId()).isEqualTo("1234-1234-1234");
            assertThat(e.getDataContentType()).isEqualTo("application/json; charset=utf-8");
            assertThat(e.getData().toString()).isEqualTo("{\"much\":\"wow\"}");
        });
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        List<CloudEvent> events = read(exchange("", "CE-SpecVersion", "1.0", "Ce-Id", "1", "CE-SOURCE", "/s",
                "ce-type", "t", "ce-MyExt", "v"));
        assertThat(events.get(0).getExtension("myext")).isEqualTo("v");
        assertThat(events.get(0).getData()).isNull();
    }

    @Test
    void ceDatacontenttypeHeaderIsRejectedInBinaryMode() {
        assertThatThrownBy(() -> read(exchange("x", "ce-specversion", "1.0", "ce-id", "1", "ce-source", "/s",
                "ce-type", "t", "ce-datacontenttype", "text/plain")))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("content type");
    }

    @Test
    void formatsAndMethods() {
        assertThat(read(exchange("[]", "Content-Type", "application/cloudevents-batch+json"))).isEmpty();
        assertThatThrownBy(() -> read(exchange("x", "Content-Type", "application/cloudevents+avro")))
                .isInstanceOf(UnsupportedFormatException.class);
        assertThatThrownBy(() -> read(exchange("x"))).isInstanceOf(UnsupportedFormatException.class);
        Exchange put = exchange("x", "ce-specversion", "1.0");
        put.getIn().setHeader(Exchange.HTTP_METHOD, "PUT");
        assertThatThrownBy(() -> read(put)).isInstanceOf(MethodNotAllowedException.class);
    }

    /** netty-http hands the body over as a stream cache: read at its exact length, and readable again afterwards. */
    @Test
    void aStreamCachedBodyIsReadWhole() throws Exception {
        String batch = "[{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"data\":{\"a\":[1,2]}},"
                + "{\"specversion\":\"1.0\",\"id\":\"2\",\"source\":\"/s\",\"type\":\"t\"}]";
        byte[] bytes = batch.getBytes(StandardCharsets.UTF_8);
        InputStreamCache known = new InputStreamCache(bytes);
        known.read(new byte[5]); // a step before may have read part of it
        // a cache that cannot tell its length goes through Camel's converter
        ByteArrayInputStreamCache unknown = new ByteArrayInputStreamCache(new java.io.ByteArrayInputStream(bytes)) {

            @Override
            public long length() {
                return 0;
            }
        };
        for (Object body : List.of(known, unknown)) {
            Exchange exchange = exchange(null, "Content-Type", "application/cloudevents-batch+json");
            exchange.getIn().setBody(body);
            assertThat(read(exchange)).extracting(CloudEvent::getId).containsExactly("1", "2");
        }
        assertThat(HttpCloudEventReader.bytes(exchange(null).getIn())).isNull();
        known.reset();
        assertThat(known.readAllBytes()).isEqualTo(bytes);
    }
}
