package dev.floe.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.floe.camel.iceberg.ForklessLocalFileSystem;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Steady single-event HTTP load on a running Floe (structured-mode CloudEvents, one per request, N connections each
 * sending its next request when the last is answered), for a fixed time, with a report every interval: events/s,
 * acknowledgement latency p50/p99, Floe's commits and mean commit time (its metrics), the table's snapshots, data
 * files, average file size, metadata.json size, the time to plan a full scan (from this process, on the same catalog),
 * and Floe's RSS. At the end the whole table is read back: every acknowledged event must be there exactly once.
 * <p>
 * Usage: Soak URL CONNECTIONS SECONDS INTERVAL_SECONDS DATA_DIR FLOE_PID METRICS_URL
 */
public final class Soak {

    private static final TableIdentifier TABLE = TableIdentifier.parse("default.events");

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int connections = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        long interval = Long.parseLong(args[3]);
        Path data = Path.of(args[4]);
        long pid = Long.parseLong(args[5]);
        URI metrics = URI.create(args[6]);

        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        Recorder recorder = new Recorder();
        AtomicLong failures = new AtomicLong();
        long[][] acked = new long[connections][];
        int[] ackedCount = new int[connections];
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        for (int c = 0; c < connections; c++) {
            int conn = c;
            acked[c] = new long[1024];
            pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                long n = 0;
                while (System.nanoTime() < deadline) {
                    long id = n++;
                    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                            .POST(HttpRequest.BodyPublishers.ofString(Events.structured("s" + conn + "-" + id)))
                            .build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() / 100 == 2) {
                            recorder.record(System.nanoTime() - t0);
                            if (ackedCount[conn] == acked[conn].length) {
                                acked[conn] = java.util.Arrays.copyOf(acked[conn], acked[conn].length * 2);
                            }
                            acked[conn][ackedCount[conn]++] = id;
                        } else {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.shutdown();

        Map<String, String> props = new HashMap<>(EmbeddedDefault.properties(data));
        // a second process on Floe's catalog: it only reads
        props.put("jdbc.init-catalog-tables", "false");
        Catalog catalog = CatalogUtil.buildIcebergCatalog("floe", props, ForklessLocalFileSystem.configuration());
        System.out.println("t_s | events_per_s | p50_ms | p99_ms | non2xx | commits_per_s | mean_commit_ms | snapshots"
                + " | data_files | avg_file_kb | metadata_json_kb | plan_full_scan_ms | floe_rss_mb");
        double[] lastMetrics = scrape(metrics);
        long lastSequence = 0;
        long lastT = start;
        long next = start + TimeUnit.SECONDS.toNanos(interval);
        while (true) {
            boolean done = pool.awaitTermination(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
            long now = System.nanoTime();
            if (!done && now < next) {
                continue;
            }
            long[] latencies = recorder.drain();
            double span = (now - lastT) / 1e9;
            double[] m = scrape(metrics);
            // the metric counts batches (a group commit holds several), each with its commit's duration
            double batches = m[1] - lastMetrics[1];
            double meanCommitMs = batches > 0 ? (m[0] - lastMetrics[0]) / batches * 1000 : Double.NaN;
            // commits from the table's sequence number, which snapshot expiry does not take back
            long sequence = sequenceNumber(catalog);
            System.out.printf("%.0f | %.0f | %.1f | %.1f | %d | %.1f | %.1f | %s | %d%n", (now - start) / 1e9,
                    latencies.length / span, pct(latencies, 0.50), pct(latencies, 0.99), failures.getAndSet(0),
                    (sequence - lastSequence) / span, meanCommitMs, tableFigures(catalog), rssMb(pid));
            lastSequence = sequence;
            lastMetrics = m;
            lastT = now;
            next += TimeUnit.SECONDS.toNanos(interval);
            if (done) {
                break;
            }
        }
        verify(catalog, acked, ackedCount);
        ((AutoCloseable) catalog).close();
    }

    /** Every acknowledged event once; anything else (a request that timed out but landed) at most once. */
    private static void verify(Catalog catalog, long[][] acked, int[] ackedCount) throws Exception {
        Map<String, Integer> rows = new HashMap<>();
        Table table = catalog.loadTable(TABLE);
        try (CloseableIterable<Record> all = IcebergGenerics.read(table).select("id").build()) {
            for (Record r : all) {
                rows.merge((String) r.getField("id"), 1, Integer::sum);
            }
        }
        long acknowledged = 0;
        long missing = 0;
        for (int c = 0; c < acked.length; c++) {
            for (int i = 0; i < ackedCount[c]; i++) {
                acknowledged++;
                if (!rows.containsKey("s" + c + "-" + acked[c][i])) {
                    missing++;
                }
            }
        }
        long duplicates = rows.values().stream().filter(n -> n > 1).count();
        System.out.printf("verify: acknowledged=%d rows=%d distinct_ids=%d missing_acknowledged=%d duplicated_ids=%d"
                + " %s%n", acknowledged, rows.values().stream().mapToLong(Integer::longValue).sum(), rows.size(),
                missing, duplicates, missing == 0 && duplicates == 0 ? "OK" : "FAILED");
        if (missing != 0 || duplicates != 0) {
            System.exit(1);
        }
    }

    private static long sequenceNumber(Catalog catalog) {
        try {
            return ((HasTableOperations) catalog.loadTable(TABLE)).operations().current().lastSequenceNumber();
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * The table's figures as a reader sees them. A reader races the writer: by the time it opens the metadata.json or
     * a manifest it loaded, commits and expiry may have deleted it, as any engine's reader may find; it loads again.
     */
    private static String tableFigures(Catalog catalog) {
        String figures = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            figures = tableFiguresOnce(catalog);
            if (!figures.startsWith("table not readable")) {
                return figures;
            }
        }
        return figures;
    }

    private static String tableFiguresOnce(Catalog catalog) {
        try {
            Table table = catalog.loadTable(TABLE);
            TableMetadata metadata = ((HasTableOperations) table).operations().current();
            Snapshot head = table.currentSnapshot();
            long files = head == null ? 0 : Long.parseLong(head.summary().getOrDefault("total-data-files", "0"));
            long bytes = head == null ? 0 : Long.parseLong(head.summary().getOrDefault("total-files-size", "0"));
            long metadataBytes = Files.size(Path.of(metadata.metadataFileLocation().replaceFirst("^file:", "")));
            long t0 = System.nanoTime();
            long planned = 0;
            try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                for (FileScanTask ignored : tasks) {
                    planned++;
                }
            }
            double planMs = (System.nanoTime() - t0) / 1e6;
            return String.format("%d | %d | %.1f | %d | %.0f", metadata.snapshots().size(), files,
                    files == 0 ? 0 : bytes / 1024.0 / files, metadataBytes / 1024, planMs)
                    + (planned != files ? " (planned " + planned + ")" : "");
        } catch (Exception e) {
            return "table not readable: " + e;
        }
    }

    /** floe_commit_duration_seconds_sum and _count, summed over tables. */
    private static double[] scrape(URI metrics) {
        double[] m = new double[2];
        try {
            String body = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                if (line.startsWith("floe_commit_duration_seconds_sum")) {
                    m[0] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("floe_commit_duration_seconds_count")) {
                    m[1] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (Exception e) {
            // Floe not answering its metrics: the figures show NaN
            m[0] = m[1] = Double.NaN;
        }
        return m;
    }

    private static long rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (Exception e) {
            // gone
        }
        return -1;
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6;
    }

    /** Latencies of the current interval. */
    private static final class Recorder {

        private List<long[]> chunks = new ArrayList<>();
        private long[] chunk = new long[65536];
        private int n;

        synchronized void record(long nanos) {
            if (n == chunk.length) {
                chunks.add(chunk);
                chunk = new long[65536];
                n = 0;
            }
            chunk[n++] = nanos;
        }

        synchronized long[] drain() {
            int total = chunks.size() * 65536 + n;
            long[] all = new long[total];
            int at = 0;
            for (long[] c : chunks) {
                System.arraycopy(c, 0, all, at, c.length);
                at += c.length;
            }
            System.arraycopy(chunk, 0, all, at, n);
            chunks = new ArrayList<>();
            n = 0;
            java.util.Arrays.sort(all);
            return all;
        }
    }
}
