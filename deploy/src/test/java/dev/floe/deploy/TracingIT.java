package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms"),
                List.of("-Dfloe.batch.max-wait-ms=50"))) {

            HttpResponse<String> response = FloeProcess.HTTP.send(
                    FloeProcess.binaryEvent(floe.events(), "traced-1")
                            .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(204);

            // The exporter sends spans in batches as they end, so the server span may come in a later export than
            // the producer's: wait for the export that holds netty-http's span, which must carry the caller's trace.
            byte[] traceId = HexFormat.of().parseHex(TRACE_ID);
            byte[] serverSpan = "netty-http".getBytes(StandardCharsets.US_ASCII);
            await().atMost(Duration.ofSeconds(30)).until(() -> exports.stream().anyMatch(e -> contains(e, serverSpan)));
            assertThat(exports.stream().filter(e -> contains(e, serverSpan)))
                    .allMatch(e -> contains(e, traceId), "carries trace " + TRACE_ID);
        }
    }
}
