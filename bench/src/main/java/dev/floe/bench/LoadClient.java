package dev.floe.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts CloudEvents to a running Floe over N connections for a fixed time; prints events/s and acknowledgement latency.
 * Usage: LoadClient URL binary|batched CONNECTIONS SECONDS [EVENTS_PER_BATCH]
 */
public final class LoadClient {

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        boolean batched = args[1].equals("batched");
        int connections = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        int perBatch = args.length > 4 ? Integer.parseInt(args[4]) : 500;
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong ids = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<long[]>> results = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            results.add(pool.submit(() -> {
                // one client per thread: each holds its own connection
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                long[] latencies = new long[1 << 20];
                int n = 0;
                long events = 0;
                while (System.nanoTime() < deadline && n < latencies.length) {
                    HttpRequest request = batched ? batch(url, ids, perBatch) : single(url, ids);
                    long t0 = System.nanoTime();
                    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() / 100 == 2) {
                        latencies[n++] = System.nanoTime() - t0;
                        events += batched ? perBatch : 1;
                    } else {
                        failures.incrementAndGet();
                    }
                }
                long[] result = Arrays.copyOf(latencies, n + 1);
                result[n] = events;
                return result;
            }));
        }
        pool.shutdown();
        LoadReport.print(args[1], connections, seconds, results, "non2xx", failures.get());
    }

    private static HttpRequest single(URI url, AtomicLong ids) {
        return HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                .header("ce-specversion", "1.0").header("ce-id", "b-" + ids.incrementAndGet())
                .header("ce-source", "/bench/sensors/42").header("ce-type", "dev.floe.bench.reading")
                .header("ce-subject", "room-17").header("ce-time", "2026-11-22T10:00:00.123Z")
                .header("ce-traceparent", "00-0af7651916cd43dd8448eb211c80319c-00")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Events.DATA)).build();
    }

    private static HttpRequest batch(URI url, AtomicLong ids, int size) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ",").append(Events.structured("m-" + ids.incrementAndGet()));
        }
        return HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/cloudevents-batch+json")
                .POST(HttpRequest.BodyPublishers.ofString(sb.append(']').toString())).build();
    }
}
