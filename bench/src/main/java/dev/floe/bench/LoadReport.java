package dev.floe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/** What the load clients print: events/s and answer latency over all connections, one line. */
final class LoadReport {

    private LoadReport() {
    }

    /**
     * @param results each connection's answer latencies in nanoseconds, followed by the number of events it had
     *                acknowledged
     */
    static void print(String mode, int connections, long seconds, List<Future<long[]>> results, String failedLabel,
            long failed) throws Exception {
        long events = 0;
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : results) {
            long[] r = f.get();
            events += r[r.length - 1];
            for (int i = 0; i < r.length - 1; i++) {
                all.add(r[i]);
            }
        }
        all.sort(null);
        System.out.printf("mode=%s connections=%d events=%d events_per_s=%.0f p50_ms=%.1f p99_ms=%.1f %s=%d%n", mode,
                connections, events, events / (double) seconds, pct(all, 0.50), pct(all, 0.99), failedLabel, failed);
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size())) / 1e6;
    }
}
