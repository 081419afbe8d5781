package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenTelemetry tracing is off by default and switched on by configuration alone: the packaged application, given the
 * OTLP settings as environment variables, exports spans of the route to an OTLP/HTTP receiver (a stand-in for the
 * collector), in the trace the incoming request's W3C traceparent names.
 */
class TracingIT {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @TempDir
    Path dir;

    HttpServer collector;
    final List<byte[]> exports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startCollector() throws Exception {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            try (InputStream in = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody())
                    : exchange.getRequestBody()) {
                exports.add(in.readAllBytes());
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
    }

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer : for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void spansOfTheRouteReachTheCollectorInTheCallersTrace() throws Exception {
        String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
        try (FloeProcess floe = FloeProcess.start(dir, "tracing-floe.log", Map.of(
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", endpoint,
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms",
                // the maintenance routes' iceberg: calls are traces of their own, not the caller's
                "FLOE_MAINTENANCE_ENABLED", "false"),
                List.of("-Dfloe.batch.max-wait-ms=50"))) {

            HttpResponse<String> response = FloeProcess.HTTP.send(
                    FloeProcess.binaryEvent(floe.events(), "traced-1")
                            .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(204);

            // the exporter sends spans in batches as they end: wait for the server span of netty-http and the span
            // of the iceberg: producer, and check that each is in the caller's trace
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<byte[][]> spans = exports.stream().flatMap(e -> OtlpSpans.of(e).stream()).toList();
                for (String component : List.of("netty-http", "camel-iceberg")) {
                    byte[] name = component.getBytes(StandardCharsets.US_ASCII);
                    assertThat(spans).filteredOn(span -> contains(span[1], name))
                            .extracting(span -> HexFormat.of().formatHex(span[0]))
                            .as("trace ids of the %s spans", component).isNotEmpty().containsOnly(TRACE_ID);
                }
            });
        }
    }

    /**
     * The spans of an OTLP ExportTraceServiceRequest, as (trace id, span bytes) pairs. Read by hand (a few lines of
     * the protobuf wire format) rather than with the OTLP protobuf classes, which the application does not ship:
     * request field 1 resource_spans, ResourceSpans field 2 scope_spans, ScopeSpans field 2 spans, Span field 1
     * trace_id (opentelemetry-proto trace/v1).
     */
    static final class OtlpSpans {

        private final byte[] message;
        private int at;

        private OtlpSpans(byte[] message) {
            this.message = message;
        }

        static List<byte[][]> of(byte[] request) {
            List<byte[][]> spans = new ArrayList<>();
            for (byte[] resourceSpans : fields(request, 1)) {
                for (byte[] scopeSpans : fields(resourceSpans, 2)) {
                    for (byte[] span : fields(scopeSpans, 2)) {
                        List<byte[]> traceId = fields(span, 1);
                        spans.add(new byte[][]{traceId.isEmpty() ? new byte[0] : traceId.get(0), span});
                    }
                }
            }
            return spans;
        }

        /** The values of the length-delimited field {@code number} of a message. */
        static List<byte[]> fields(byte[] message, int number) {
            OtlpSpans reader = new OtlpSpans(message);
            List<byte[]> values = new ArrayList<>();
            while (reader.at < message.length) {
                long key = reader.varint();
                switch ((int) (key & 7)) {
                    case 0 -> reader.varint();
                    case 1 -> reader.skip(8);
                    case 5 -> reader.skip(4);
                    case 2 -> {
                        long length = reader.varint();
                        int from = reader.at;
                        reader.skip(length);
                        if (key >>> 3 == number) {
                            values.add(Arrays.copyOfRange(message, from, reader.at));
                        }
                    }
                    default -> throw new IllegalArgumentException("wire type " + (key & 7) + " at " + reader.at);
                }
            }
            return values;
        }

        private void skip(long bytes) {
            if (bytes < 0 || bytes > message.length - at) {
                throw new IllegalArgumentException(bytes + " bytes past the end at " + at);
            }
            at += (int) bytes;
        }

        private long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                skip(1);
                byte b = message[at - 1];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes at " + at);
        }
    }
}
