package dev.floe.camel.iceberg;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * One single-threaded lane per table: batches for a table are written and committed one at a time, in the order they
 * arrived, while different tables commit in parallel. Callers hand work over and return at once, so no caller thread
 * waits for a commit.
 */
final class CommitLanes {

    private final ExecutorServiceManager executors;
    private final Object owner;
    private final Map<TableIdentifier, ExecutorService> lanes = new ConcurrentHashMap<>();

    CommitLanes(ExecutorServiceManager executors, Object owner) {
        this.executors = executors;
        this.owner = owner;
    }

    void submit(TableIdentifier table, Runnable work) {
        lanes.computeIfAbsent(table, t -> executors.newSingleThreadExecutor(owner, "IcebergCommit[" + t + "]"))
                .execute(work);
    }

    /** Lets queued batches finish (within Camel's shutdown timeout) before the lanes stop. */
    void shutdown() {
        lanes.values().forEach(executors::shutdownGraceful);
        lanes.clear();
    }
}
