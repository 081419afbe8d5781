package dev.floe.app;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.apache.iceberg.catalog.Catalog;

/**
 * A client that sends several CloudEvents per request (batched mode), as a source that retries what was not
 * acknowledged would; and what a user reads back of them.
 */
public final class BatchedRequests {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI floe;

    /** A client of Floe's HTTP source on this port of the loopback. */
    public BatchedRequests(int port) {
        this.floe = URI.create("http://127.0.0.1:" + port + "/");
    }

    /** What the client saw: the status and Retry-After, or status 0 when it gave up waiting. */
    public record Answer(int status, Optional<String> retryAfter) {

        static final Answer GAVE_UP = new Answer(0, Optional.empty());

        public boolean acknowledged() {
            return status >= 200 && status < 300;
        }
    }

    /** The ids of request {@code n} of a test: three events, so a request half written would show. */
    public static List<String> ids(String prefix, int n) {
        return List.of(prefix + n + "-a", prefix + n + "-b", prefix + n + "-c");
    }

    /** Sends the events as one request and waits at most {@code timeout} for the answer. */
    public CompletableFuture<Answer> send(List<String> ids, Duration timeout) {
        String body = ids.stream().map(id -> """
                {"specversion":"1.0","id":"%s","source":"/tests/storage-faults","type":"dev.floe.test",
                 "datacontenttype":"application/json","data":{"id":"%s"}}""".formatted(id, id))
                .collect(Collectors.joining(",", "[", "]"));
        HttpRequest request = HttpRequest.newBuilder(floe).timeout(timeout)
                .header("Content-Type", "application/cloudevents-batch+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Answer(r.statusCode(), r.headers().firstValue("Retry-After")))
                .exceptionally(e -> {
                    if (e.getCause() instanceof HttpTimeoutException) {
                        return Answer.GAVE_UP;
                    }
                    throw new IllegalStateException("the request failed: " + e.getCause(), e.getCause());
                });
    }

    /** Sends the requests again, all at once, as Retry-After asks, until each is acknowledged. */
    public void resendUntilAcknowledged(List<List<String>> requests, Duration within) {
        List<List<String>> pending = new ArrayList<>(requests);
        await().atMost(within).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).until(() -> {
            List<CompletableFuture<Answer>> answers = pending.stream().map(r -> send(r, Duration.ofSeconds(30)))
                    .toList();
            for (int i = answers.size() - 1; i >= 0; i--) {
                if (answers.get(i).join().acknowledged()) {
                    pending.remove(i);
                }
            }
            return pending.isEmpty();
        });
    }

    /** How many rows each id has in default.events, read back with Iceberg's generic reader. */
    public static Map<String, Long> rowsPerId(Catalog catalog, String prefix) {
        return Tables.rowsWithIdPrefix(catalog, "default.events", prefix).stream()
                .collect(Collectors.groupingBy(r -> (String) r.getField("id"), Collectors.counting()));
    }

    /** Each request's events are all in the table or none is: the ids of the requests that are. */
    public static List<List<String>> requestsInTable(Map<String, Long> rows, List<List<String>> requests) {
        List<List<String>> present = new ArrayList<>();
        for (List<String> request : requests) {
            long found = request.stream().filter(rows::containsKey).count();
            if (found != 0 && found != request.size()) {
                throw new AssertionError("request " + request + " is half written: only " + found + " of "
                        + request.size() + " events are in the table (" + rows + ")");
            }
            if (found == request.size()) {
                present.add(request);
            }
        }
        return present;
    }
}
