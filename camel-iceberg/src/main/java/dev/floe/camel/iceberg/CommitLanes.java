package dev.floe.camel.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * One single-threaded lane per table: batches for a table are written and committed one group at a time, in the order
 * they arrived, while different tables commit in parallel. Callers hand work over and return at once, so no caller
 * thread waits for a commit.
 * <p>
 * Group commit: when the lane frees up, it takes every batch that queued meanwhile (up to a row limit) and commits them
 * together. Under load this turns many small commits into few large ones without adding latency when idle; a linger
 * time (off by default) lets a lone batch wait for company, as a Kamelet with no aggregator in front wants.
 */
final class CommitLanes {

    private final ExecutorServiceManager executors;
    private final Object owner;
    private final Map<TableIdentifier, Lane> lanes = new ConcurrentHashMap<>();

    CommitLanes(ExecutorServiceManager executors, Object owner) {
        this.executors = executors;
        this.owner = owner;
    }

    /**
     * Queues a batch; {@code commitGroup} later receives it with the others queued behind the same commit.
     *
     * @param maxGroupRows a group takes batches until it holds this many rows (at least one batch)
     * @param lingerMs      how long the oldest queued batch may wait for others before its group commits
     */
    void submit(TableIdentifier table, PendingBatch batch, int maxGroupRows, long lingerMs,
            Consumer<List<PendingBatch>> commitGroup) {
        Lane lane = lane(table);
        lane.queue.add(batch);
        lane.executor.execute(() -> {
            lane.linger(lingerMs, maxGroupRows);
            List<PendingBatch> group = lane.take(maxGroupRows);
            if (!group.isEmpty()) {
                commitGroup.accept(group);
            }
        });
    }

    /**
     * Runs a maintenance commit on the table's lane, between two ingest commits, and waits for it. Ingest commits of
     * this process then never race it: at 20 commits a second a compaction racing them never got its turn (every
     * retry found the table moved on), and an ingest commit waits at most for this one commit.
     */
    <T> T callBetweenCommits(TableIdentifier table, Callable<T> task) throws InterruptedException {
        try {
            return lane(table).executor.submit(task).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Lane lane(TableIdentifier table) {
        return lanes.computeIfAbsent(table,
                t -> new Lane(executors.newSingleThreadExecutor(owner, "IcebergCommit[" + t + "]")));
    }

    /** Batches waiting for their commit, per table. */
    Map<TableIdentifier, Integer> queuedBatches() {
        Map<TableIdentifier, Integer> queued = new java.util.HashMap<>();
        lanes.forEach((table, lane) -> queued.put(table, lane.queue.size()));
        return queued;
    }

    /** Lets queued batches finish (within Camel's shutdown timeout) before the lanes stop. */
    void shutdown() {
        lanes.values().forEach(lane -> executors.shutdownGraceful(lane.executor));
        lanes.clear();
    }

    record Lane(ExecutorService executor, Queue<PendingBatch> queue) {

        Lane(ExecutorService executor) {
            this(executor, new ConcurrentLinkedQueue<>());
        }

        /** Waits until the oldest queued batch is lingerMs old or the queue holds a full group. */
        void linger(long lingerMs, int maxRows) {
            PendingBatch oldest = queue.peek();
            if (lingerMs <= 0 || oldest == null) {
                return;
            }
            long deadline = oldest.queuedAt() + lingerMs * 1_000_000L;
            long left;
            while ((left = deadline - System.nanoTime()) > 0 && queuedRows() < maxRows) {
                LockSupport.parkNanos(Math.min(left, 5_000_000L));
            }
        }

        private int queuedRows() {
            int rows = 0;
            for (PendingBatch batch : queue) {
                rows += batch.rows().size();
            }
            return rows;
        }

        List<PendingBatch> take(int maxRows) {
            List<PendingBatch> group = new ArrayList<>();
            int rows = 0;
            // batches that claim source offsets share a commit only while each builds on what the group claims so far
            SourceOffsets claims = null;
            PendingBatch next;
            while ((next = queue.peek()) != null && (group.isEmpty()
                    || rows + next.rows().size() <= maxRows && joins(group.get(0), claims, next))) {
                group.add(queue.poll());
                rows += next.rows().size();
                if (next.offsets() != null) {
                    claims = claims == null ? next.offsets() : claims.then(next.offsets());
                }
            }
            return group;
        }

        private static boolean joins(PendingBatch first, SourceOffsets claims, PendingBatch next) {
            if ((first.offsets() == null) != (next.offsets() == null)) {
                return false;
            }
            return claims == null || claims.chainsTo(next.offsets());
        }
    }
}
