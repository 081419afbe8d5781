package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest port under abuse, against the packaged application in its own JVM (heap capped, exiting on an
 * OutOfMemoryError): while 10,000 idle connections are held open, slow-loris clients dribble headers a byte at a time,
 * and others send 2,000-deep JSON, a 100,000-member object and a 10 MB header block, a client keeps sending good events.
 * Every good event is answered 204 and is in the table once; every abusive request gets a 4xx or its connection is
 * closed (never a 5xx, never a hang); Floe stays alive and its heap used stays under the cap.
 */
class HttpAbuseIT {

    static final int IDLE_CONNECTIONS = 10_000;
    static final int SLOW_LORIS = 20;
    static final long MIB = 1024 * 1024;
    static final long XMX = 256 * MIB;
    static final Pattern HEAP_USED = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E+-]+)$");

    @TempDir
    Path dir;

    @Test
    void floeKeepsAnsweringGoodRequestsWhileAbusiveClientsRun() throws Exception {
        ProcessTable table = new ProcessTable(dir);
        List<String> options = List.of("-Xmx" + XMX / MIB + "m", "-XX:+ExitOnOutOfMemoryError",
                // room for the idle connections and the good client; slow senders are cut after 5 s
                "-Dfloe.http.max-connections=" + (IDLE_CONNECTIONS + 500), "-Dfloe.http.request-read-timeout-seconds=5",
                // a body large enough for the 100,000-member object to reach the JSON reader
                "-Dfloe.http.max-body-size=" + 4 * MIB);
        List<SocketChannel> idle = new ArrayList<>();
        ScheduledExecutorService dribble = Executors.newScheduledThreadPool(2);
        try (FloeProcess floe = FloeProcess.start(dir, "http-abuse.log", table.catalogEnv(), options)) {
            InetSocketAddress port = new InetSocketAddress("127.0.0.1", floe.httpPort);
            for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                idle.add(SocketChannel.open(port));
            }
            await().atMost(Duration.ofSeconds(60)).until(
                    () -> floe.metric("floe_http_connections_open", "") >= IDLE_CONNECTIONS);

            AtomicBoolean abusing = new AtomicBoolean(true);
            List<String> good = new CopyOnWriteArrayList<>();
            List<Integer> goodStatuses = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> goodClient = CompletableFuture.runAsync(() -> {
                for (int i = 0; abusing.get() || i < 20; i++) {
                    String id = "good-" + i;
                    try {
                        goodStatuses.add(FloeProcess.HTTP.send(FloeProcess.binaryEvent(floe.events(), id).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode());
                        good.add(id);
                    } catch (Exception e) {
                        throw new IllegalStateException("good request " + id + " failed", e);
                    }
                }
            });

            List<CompletableFuture<Integer>> slowLoris = new ArrayList<>();
            for (int i = 0; i < SLOW_LORIS; i++) {
                slowLoris.add(slowLoris(port, dribble, "loris-" + i));
            }
            String deep = structured("deep", "[".repeat(2000) + "]".repeat(2000));
            StringBuilder wide = new StringBuilder("{");
            for (int i = 0; i < 100_000; i++) {
                wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":0");
            }
            String members = structured("wide", wide.append('}').toString());
            int deepStatus = statusOrClosed(port, post(deep));
            int membersStatus = statusOrClosed(port, post(members));
            int bigHeaderStatus = bigHeaderBlock(port);
            List<Integer> lorisStatuses = slowLoris.stream().map(CompletableFuture::join).toList();
            abusing.set(false);
            goodClient.get(120, TimeUnit.SECONDS);

            assertThat(deepStatus).as("2,000-deep JSON: a 4xx or closed").satisfiesAnyOf(
                    s -> assertThat(s).isBetween(400, 499), s -> assertThat(s).isEqualTo(-1));
            assertThat(membersStatus).as("a 100,000-member object: stored or refused, never a 5xx").isBetween(200, 499);
            assertThat(bigHeaderStatus).as("10 MB header block: a 4xx or closed").satisfiesAnyOf(
                    s -> assertThat(s).isBetween(400, 499), s -> assertThat(s).isEqualTo(-1));
            assertThat(lorisStatuses).as("slow-loris: 408 and closed").containsOnly(408);
            assertThat(goodStatuses).as("every good request while abused").hasSizeGreaterThanOrEqualTo(20)
                    .containsOnly(204);
            assertThat(floe.metric("floe_http_connections_open", "")).as("the idle connections are still held")
                    .isGreaterThanOrEqualTo(IDLE_CONNECTIONS);
            assertThat(heapUsed(floe)).as("heap used, bytes").isLessThan(XMX);
            assertThat(floe.process.isAlive()).isTrue();
            assertThat(table.ids().stream().filter(id -> id.startsWith("good-")).toList())
                    .as("every good event once").containsExactlyInAnyOrderElementsOf(good);
        } finally {
            dribble.shutdownNow();
            for (SocketChannel channel : idle) {
                channel.close();
            }
        }
    }

    private static String structured(String id, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/abuse\",\"type\":\"dev.floe.abuse\","
                + "\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }

    private static String post(String structuredEvent) {
        return "POST / HTTP/1.1\r\nHost: floe\r\nContent-Type: application/cloudevents+json\r\nContent-Length: "
                + structuredEvent.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + structuredEvent;
    }

    /** Sends the request on a new connection; the answer's status, or -1 when the server closed without one. */
    private static int statusOrClosed(InetSocketAddress port, String request) throws IOException {
        try (Socket socket = connect(port)) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
                } catch (IOException closed) {
                    // the server closed the connection before taking all of it
                }
            });
            int status = status(socket.getInputStream());
            sending.join();
            return status;
        }
    }

    /** A header block of 10 MB, written 1 KB a line while the server may already have answered and closed. */
    private static int bigHeaderBlock(InetSocketAddress port) throws IOException {
        try (Socket socket = connect(port)) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write("POST / HTTP/1.1\r\nHost: floe\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] line = ("x-filler: " + "a".repeat(1014) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < 10 * 1024; i++) {
                        out.write(line);
                    }
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    // the server closed the connection: that is the point
                }
            });
            int status = status(socket.getInputStream());
            sending.join();
            return status;
        }
    }

    /** A connection that dribbles a good request's headers, one byte every 500 ms; completes with its answer. */
    private static CompletableFuture<Integer> slowLoris(InetSocketAddress port, ScheduledExecutorService dribble,
            String id) throws IOException {
        Socket socket = connect(port);
        byte[] request = ("POST / HTTP/1.1\r\nHost: floe\r\nce-specversion: 1.0\r\nce-id: " + id
                + "\r\nce-source: /abuse\r\nce-type: dev.floe.abuse\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int[] next = {0};
        dribble.scheduleAtFixedRate(() -> {
            if (next[0] >= request.length || socket.isClosed()) {
                throw new IllegalStateException("done"); // ends this schedule
            }
            try {
                socket.getOutputStream().write(request[next[0]++]);
            } catch (IOException closed) {
                throw new IllegalStateException(closed);
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
        return CompletableFuture.supplyAsync(() -> {
            try (socket) {
                int status = status(socket.getInputStream());
                // after the answer, the server closes the connection
                assertThat(socket.getInputStream().readAllBytes()).isNotNull();
                return status;
            } catch (IOException e) {
                return -1;
            }
        });
    }

    private static Socket connect(InetSocketAddress port) throws IOException {
        Socket socket = new Socket();
        // a bound on every read: a hang fails the test instead of stalling it
        socket.setSoTimeout(60_000);
        socket.connect(port, 5_000);
        return socket;
    }

    /** The status code of the response on this stream, or -1 when it ends (or is reset) before one. */
    private static int status(InputStream in) throws IOException {
        try {
            byte[] line = in.readNBytes(12);
            return line.length < 12 ? -1 : Integer.parseInt(new String(line, 9, 3, StandardCharsets.US_ASCII));
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    private static long heapUsed(FloeProcess floe) {
        Matcher m = HEAP_USED.matcher(FloeProcess.get(floe.management("/q/metrics")));
        long used = 0;
        while (m.find()) {
            used += (long) Double.parseDouble(m.group(1));
        }
        return used;
    }
}
