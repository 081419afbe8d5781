package dev.floe.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * One run of a sink over the preloaded topic, and what it did: times from its JVM's start (taken from the commit
 * times of the table's snapshots), throughput, CPU and memory, and what a reader finds in the table afterwards.
 */
record SinkRun(String sink, double startToAllSeconds, double startToFirstSeconds, double steadyRowsPerSecond,
        double rowsPerCpuSecond, long peakRssMb, int commits, TableContents contents, long events) {

    /**
     * Starts {@code command}, waits until the table holds {@code events} rows, then lets the sink exit by itself
     * ({@code exitsByItself}, Floe's drain mode) or stops it (Kafka Connect runs until stopped). CPU time is taken
     * when every row is committed, so shutting down is not counted for either.
     */
    static SinkRun measure(String sink, List<String> command, Path log, Catalog catalog, TableIdentifier table,
            long events, boolean exitsByItself) throws Exception {
        CommitLog commits = new CommitLog(catalog, table);
        SinkProcess process = SinkProcess.start(command, log);
        // generous: on a shared machine a sink may crawl, and a figure is better than a timeout
        Duration timeout = Duration.ofSeconds(300 + events / 500);
        boolean all = process.await(() -> commits.poll() >= events, 2000, timeout);
        Duration cpu = process.cpu();
        if (exitsByItself && all) {
            int exit = process.waitForExit(Duration.ofMinutes(2));
            if (exit != 0) {
                throw new IllegalStateException(sink + " exited with " + exit + ": see " + log);
            }
        } else {
            process.stop();
        }
        if (!all) {
            throw new IllegalStateException(sink + " committed " + commits.rows() + " of " + events
                    + " rows within " + timeout + commits.lastError() + ": see " + log);
        }
        long start = process.startMillis;
        return new SinkRun(sink, (commits.reachedMillis(events) - start) / 1000.0,
                (commits.firstCommitMillis() - start) / 1000.0, commits.steadyRowsPerSecond(events),
                events / Math.max(0.001, cpu.toMillis() / 1000.0), process.peakRssKb() / 1024, commits.commits(),
                TableContents.read(catalog.loadTable(table)), events);
    }

    double bytesPerRow() {
        return contents.rowsRead() == 0 ? Double.NaN : (double) contents.bytes() / contents.rowsRead();
    }

    /** Every event read back exactly once. */
    boolean eachOnce() {
        return contents.rowsRead() == events && contents.distinctIds() == events;
    }
}
