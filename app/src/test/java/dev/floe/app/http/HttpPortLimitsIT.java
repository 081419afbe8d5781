package dev.floe.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.floe.app.Tables;
import dev.floe.app.catalogs.Ports;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest port under abuse, with raw sockets against the real netty-http route: a connection past the cap is closed
 * at once, idle connections are closed, slow senders get 408, a request waiting for its commit outlives the idle
 * timeout, and oversized header blocks are refused without being read into memory.
 */
@QuarkusTest
@TestProfile(HttpPortLimitsIT.SmallLimits.class)
class HttpPortLimitsIT {

    static final int MAX_CONNECTIONS = 4;

    public static class SmallLimits implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("floe.http.max-connections", String.valueOf(MAX_CONNECTIONS),
                    "floe.http.idle-timeout-seconds", "3",
                    "floe.http.request-read-timeout-seconds", "2",
                    // a request waits for its batch longer than the idle timeout: it must not be cut
                    "floe.batch.max-wait-ms", "5000",
                    // ports of its own: other test runs may share this machine
                    "floe.http.port", String.valueOf(Ports.free()),
                    "quarkus.management.test-port", String.valueOf(Ports.free()));
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ScheduledExecutorService DRIBBLE = Executors.newSingleThreadScheduledExecutor();

    @Inject
    Catalog catalog;
    @ConfigProperty(name = "floe.http.port")
    int port;
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @AfterAll
    static void stopDribbling() {
        DRIBBLE.shutdownNow();
    }

    static String goodRequest(String id) {
        return goodRequest(id, "{\"n\":1}");
    }

    static String goodRequest(String id, String body) {
        return "POST / HTTP/1.1\r\nHost: floe\r\nce-specversion: 1.0\r\nce-id: " + id
                + "\r\nce-source: /tests/port\r\nce-type: dev.floe.test\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private HttpResponse<String> post(String id) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(60))
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/tests/port")
                .header("ce-type", "dev.floe.test").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private double metric(String series) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(
                series.length() + 1))).sum();
    }

    @Test
    void aConnectionPastTheCapIsClosedAtOnceAndCounted() throws Exception {
        // the test client's own pooled connections count too: start from none
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("floe_http_connections_open") == 0);
        double refused = metric("floe_http_connections_closed_total{reason=\"limit\"}");
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                held.add(new RawHttp(port));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("floe_http_connections_open") == MAX_CONNECTIONS);
            try (RawHttp oneTooMany = new RawHttp(port)) {
                assertThat(oneTooMany.closedByServer()).isTrue();
            }
            assertThat(metric("floe_http_connections_closed_total{reason=\"limit\"}")).isEqualTo(refused + 1);
        } finally {
            for (RawHttp connection : held) {
                connection.close();
            }
        }
        String id = "cap-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("floe_http_connections_open") == 0);
        assertThat(post(id).statusCode()).isEqualTo(204);
        assertThat(Tables.rowsWithIdPrefix(catalog, "default.events", id)).hasSize(1);
    }

    @Test
    void anIdleConnectionIsClosedBeforeAndAfterARequest() throws Exception {
        double idle = metric("floe_http_connections_closed_total{reason=\"idle\"}");
        try (RawHttp silent = new RawHttp(port)) {
            assertThat(silent.closedByServer()).isTrue();
        }
        String id = "keepalive-" + UUID.randomUUID();
        try (RawHttp keepAlive = new RawHttp(port)) {
            keepAlive.send(goodRequest(id));
            assertThat(keepAlive.answer().status()).isEqualTo(204);
            assertThat(keepAlive.closedByServer()).isTrue();
        }
        // the test client's own pooled connections may be closed as idle too
        assertThat(metric("floe_http_connections_closed_total{reason=\"idle\"}")).isGreaterThanOrEqualTo(idle + 2);
        assertThat(Tables.rowsWithIdPrefix(catalog, "default.events", id)).hasSize(1);
    }

    @Test
    void aRequestWaitingForItsCommitLongerThanTheIdleTimeoutIsAnswered() throws Exception {
        String id = "parked-" + UUID.randomUUID();
        // the batch waits floe.batch.max-wait-ms (5 s) for more events, longer than the 3 s idle timeout
        assertThat(post(id).statusCode()).isEqualTo(204);
        assertThat(Tables.rowsWithIdPrefix(catalog, "default.events", id)).hasSize(1);
    }

    @Test
    void headersDribbledAByteAtATimeGet408AndTheConnectionIsClosed() throws Exception {
        String id = "loris-" + UUID.randomUUID();
        try (RawHttp loris = new RawHttp(port)) {
            dribble(loris, goodRequest(id));
            RawHttp.Answer answer = loris.answer();
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.text()).contains("application/problem+json", "\"status\":408");
            assertThat(loris.closedByServer()).isTrue();
        }
        assertNothingWritten(id);
    }

    @Test
    void aBodyDribbledAByteAtATimeGets408() throws Exception {
        String id = "slowbody-" + UUID.randomUUID();
        // a valid body, long enough that dribbling it takes longer than the 2 s request-read timeout
        String request = goodRequest(id, "{\"n\":1" + " ".repeat(100) + "}");
        int bodyStart = request.indexOf("\r\n\r\n") + 4;
        try (RawHttp slow = new RawHttp(port)) {
            slow.send(request.substring(0, bodyStart));
            dribble(slow, request.substring(bodyStart));
            assertThat(slow.answer().status()).isEqualTo(408);
            assertThat(slow.closedByServer()).isTrue();
        }
        assertNothingWritten(id);
    }

    @Test
    void aTenMegabyteHeaderBlockIsRefusedAndTheConnectionClosed() throws Exception {
        String id = "bighead-" + UUID.randomUUID();
        try (RawHttp big = new RawHttp(port)) {
            String request = goodRequest(id);
            int headEnd = request.indexOf("\r\n\r\n") + 2;
            // the server may answer and close before all of it is sent: send from another thread
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    big.send(request.substring(0, headEnd));
                    String line = "x-filler: " + "a".repeat(1000) + "\r\n";
                    for (int i = 0; i < 10_000; i++) {
                        big.send(line);
                    }
                    big.send(request.substring(headEnd));
                } catch (Exception closed) {
                    // the server closed the connection: that is the point
                }
            });
            RawHttp.Answer answer = big.answer();
            assertThat(answer.status()).isIn(400, 431);
            assertThat(big.closedByServer()).isTrue();
            sending.get(60, TimeUnit.SECONDS);
        }
        assertNothingWritten(id);
    }

    @Test
    void tenThousandSmallHeadersAreRefused() throws Exception {
        String id = "manyheads-" + UUID.randomUUID();
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            headers.append("ce-x").append(i).append(": v\r\n");
        }
        String request = goodRequest(id);
        int headEnd = request.indexOf("\r\n\r\n") + 2;
        try (RawHttp many = new RawHttp(port)) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    many.send(request.substring(0, headEnd) + headers + request.substring(headEnd));
                } catch (Exception closed) {
                    // the server closed the connection
                }
            });
            assertThat(many.answer().status()).isIn(400, 431);
            sending.get(60, TimeUnit.SECONDS);
        }
        assertNothingWritten(id);
    }

    /** Sends one byte every 200 ms from another thread (the idle timeout never fires; the request-read one must). */
    private static void dribble(RawHttp connection, String text) {
        byte[] bytes = text.getBytes();
        int[] next = {0};
        DRIBBLE.scheduleAtFixedRate(() -> {
            if (next[0] >= bytes.length || connection.socket.isClosed()) {
                throw new IllegalStateException("done"); // ends this schedule
            }
            try {
                connection.socket.getOutputStream().write(bytes[next[0]++]);
                connection.socket.getOutputStream().flush();
            } catch (Exception closed) {
                throw new IllegalStateException(closed);
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    private void assertNothingWritten(String id) throws Exception {
        // a good request commits a batch after the bad one; anything of the bad one would be visible by then
        String marker = "marker-" + UUID.randomUUID();
        assertThat(post(marker).statusCode()).isEqualTo(204);
        assertThat(Tables.rowsWithIdPrefix(catalog, "default.events", marker)).hasSize(1);
        assertThat(Tables.rowsWithIdPrefix(catalog, "default.events", id)).isEmpty();
    }
}
