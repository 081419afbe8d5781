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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ThreadPoolProfile;
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

    /**
     * One thread and an unbounded queue (the memory budget bounds the batches behind it). Camel's single-thread
     * executor queues 1,000 tasks and then runs the next on the submitting thread (its CallerRuns policy): a second
     * thread committing the table beside the lane's, and a commit on a Kafka poller or an HTTP event loop. Abort
     * makes a stopped lane refuse work instead of dropping it.
     */
    private static ThreadPoolProfile laneProfile() {
        ThreadPoolProfile profile = new ThreadPoolProfile("IcebergCommitLane");
        profile.setPoolSize(1);
        profile.setMaxPoolSize(1);
        // Camel reads 0 or less as no queue at all (a hand-off that rejects while the thread is busy)
        profile.setMaxQueueSize(Integer.MAX_VALUE);
        profile.setAllowCoreThreadTimeOut(false);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return profile;
    }

    private final ExecutorServiceManager executors;
    private final Object owner;
    private final Map<TableIdentifier, Lane> lanes = new ConcurrentHashMap<>();
    // no new lane once stopping began
    private volatile boolean stopped;

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
        try {
            lane.executor.execute(() -> {
                lane.linger(lingerMs, maxGroupRows);
                List<PendingBatch> group = lane.take(maxGroupRows);
                if (!group.isEmpty()) {
                    commitGroup.accept(group);
                }
            });
        } catch (RejectedExecutionException e) {
            if (!lane.executor.isShutdown() && lane.queue.remove(batch)) {
                // not a stop (the queue has no bound): the caller answers the batch
                throw e;
            }
            // the lane is stopping: a task queued before may still take the batch, or the drain in shutdown fails it
        }
        // a lane drained already: the caller answers the batch, unless the drain took it first
        if (lane.drained && lane.queue.remove(batch)) {
            throw new RejectedExecutionException("the commit lane of " + table + " is stopped");
        }
    }

    /**
     * Runs a task on the table's lane, in turn with its commits: a {@link StagedBatch}'s rows written as they arrive.
     *
     * @throws RejectedExecutionException when the lane is stopping
     */
    void stage(TableIdentifier table, Runnable task) {
        lane(table).executor.execute(task);
    }

    /**
     * Runs a maintenance commit on the table's lane, between two ingest commits, and waits for it. Ingest commits of
     * this process then never race it: at 20 commits a second a compaction racing them never got its turn (every
     * retry found the table moved on), and an ingest commit waits at most for this one commit.
     */
    <T> T callBetweenCommits(TableIdentifier table, Callable<T> task) throws InterruptedException {
        Lane lane = lane(table);
        if (lane.executor.isShutdown()) {
            throw new RejectedExecutionException("the commit lane of " + table + " is stopped");
        }
        try {
            return lane.executor.submit(task).get();
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
        if (stopped) {
            Lane lane = lanes.get(table);
            if (lane == null) {
                throw new RejectedExecutionException("the commit lanes are stopped");
            }
            return lane;
        }
        return lanes.computeIfAbsent(table, t -> {
            Lane lane = new Lane(executors.newThreadPool(owner, "IcebergCommit[" + t + "]", laneProfile()));
            // a new thread inherits its creator's context class loader, and a lane may be created on any source's
            // thread (a Kafka poller's is the application class loader under Quarkus): Hadoop loads its file systems
            // through it, and one loaded by another loader than Hadoop's own fails its cast
            ClassLoader loader = CommitLanes.class.getClassLoader();
            lane.executor.execute(() -> Thread.currentThread().setContextClassLoader(loader));
            return lane;
        });
    }

    /** Batches waiting for their commit, per table. */
    Map<TableIdentifier, Integer> queuedBatches() {
        Map<TableIdentifier, Integer> queued = new java.util.HashMap<>();
        lanes.forEach((table, lane) -> queued.put(table, lane.queue.size()));
        return queued;
    }

    /** Whether the table's lane is stopping (its executor takes no new task). */
    boolean isStopping(TableIdentifier table) {
        Lane lane = lanes.get(table);
        return lane != null && lane.executor.isShutdown();
    }

    /**
     * Lets queued batches finish (within Camel's shutdown timeout) before the lanes stop. Past that timeout Camel drops
     * the lanes' queued tasks, and a batch handed over while a lane stops may have no task left to take it: those
     * batches are failed, so every batch is answered once and no source waits forever.
     */
    void shutdown() {
        stopped = true;
        lanes.forEach((table, lane) -> {
            executors.shutdownGraceful(lane.executor);
            lane.drained = true;
            PendingBatch left;
            while ((left = lane.queue.poll()) != null) {
                left.exchange().setException(new IcebergWriteException(table, left.batchId(), "queue",
                        new RejectedExecutionException("the table's commit lane stopped before its commit")));
                left.callback().done(false);
            }
        });
    }

    static final class Lane {

        final ExecutorService executor;
        final Queue<PendingBatch> queue = new ConcurrentLinkedQueue<>();
        // set once the lane's executor has terminated and its queue has been failed
        volatile boolean drained;

        Lane(ExecutorService executor) {
            this.executor = executor;
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
                rows += batch.size();
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
                    || rows + next.size() <= maxRows && joins(group.get(0), claims, next))) {
                group.add(queue.poll());
                rows += next.size();
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
