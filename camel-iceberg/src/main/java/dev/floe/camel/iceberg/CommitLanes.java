package dev.floe.camel.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * One lane per table, in two stages: a writer thread writes the data files of a group of batches while a committer
 * thread commits the group before it, so a table's CPU work goes on while its commit waits on the catalog. Groups
 * commit one at a time, in the order they were written, while different tables work in parallel. Callers hand work
 * over and return at once, so no caller thread waits for a commit.
 * <p>
 * The hand-off is bounded: a group is taken from the queue only when at most one other group is between its write and
 * the end of its commit, so at most one written group waits while another commits, and the batches that queue
 * meanwhile join the next group.
 * <p>
 * Group commit: when the writer frees up, it takes every batch that queued meanwhile (up to a row limit) as one group.
 * Under load this turns many small commits into few large ones without adding latency when idle; a linger time (off by
 * default) lets a lone batch wait for company, as a Kamelet with no aggregator in front wants.
 */
final class CommitLanes {

    /** Groups between the start of their write and the end of their commit: one committing, one written. */
    static final int GROUPS_IN_FLIGHT = 2;

    /**
     * What a lane runs for a group: {@code write} on the writer thread, then {@code commit} on the committer thread.
     *
     * @param <W> a written group
     */
    interface Stages<W> {

        /** Writes the group's data files; never throws (failures are part of the written group). */
        W write(List<PendingBatch> group);

        /**
         * Commits a written group and completes its exchanges; never throws.
         *
         * @param  afterFailure the group committed just before this one on the lane failed (or its outcome is unknown)
         * @return              false when the group's commit failed, so that the next group knows
         */
        boolean commit(W written, boolean afterFailure);

        /** Fails a written group whose commit can no longer run (the lane is stopping), deleting its files. */
        void abandon(W written, RuntimeException why);
    }

    private final ExecutorServiceManager executors;
    private final Object owner;
    private final Map<TableIdentifier, Lane> lanes = new ConcurrentHashMap<>();

    CommitLanes(ExecutorServiceManager executors, Object owner) {
        this.executors = executors;
        this.owner = owner;
    }

    /**
     * Queues a batch; {@code stages} later writes and commits it with the others queued behind the same write.
     *
     * @param maxGroupRows a group takes batches until it holds this many rows (at least one batch)
     * @param lingerMs      how long the oldest queued batch may wait for others before its group is written
     */
    <W> void submit(TableIdentifier table, PendingBatch batch, int maxGroupRows, long lingerMs, Stages<W> stages) {
        Lane lane = lane(table);
        lane.queue.add(batch);
        lane.writer.execute(() -> lane.writeNext(maxGroupRows, lingerMs, stages));
    }

    /**
     * Runs a maintenance commit on the table's committer thread, between two ingest commits, and waits for it. Ingest
     * commits of this process then never race it: at 20 commits a second a compaction racing them never got its turn
     * (every retry found the table moved on), and an ingest commit waits at most for this one commit.
     */
    <T> T callBetweenCommits(TableIdentifier table, Callable<T> task) throws InterruptedException {
        try {
            return lane(table).committer.submit(task).get();
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
                t -> new Lane(executors.newSingleThreadExecutor(owner, "IcebergWrite[" + t + "]"),
                        executors.newSingleThreadExecutor(owner, "IcebergCommit[" + t + "]")));
    }

    /**
     * Lets queued batches be written and committed (within Camel's shutdown timeout) before the lanes stop: the writers
     * first, whose last groups go to the committers, then the committers.
     */
    void shutdown() {
        lanes.values().forEach(lane -> executors.shutdownGraceful(lane.writer));
        lanes.values().forEach(lane -> executors.shutdownGraceful(lane.committer));
        lanes.clear();
    }

    static final class Lane {

        private final ExecutorService writer;
        private final ExecutorService committer;
        private final Queue<PendingBatch> queue = new ConcurrentLinkedQueue<>();
        private final Semaphore inFlight = new Semaphore(GROUPS_IN_FLIGHT);
        // read and written on the committer thread only
        private boolean lastCommitFailed;

        Lane(ExecutorService writer, ExecutorService committer) {
            this.writer = writer;
            this.committer = committer;
        }

        Queue<PendingBatch> queue() {
            return queue;
        }

        /** On the writer thread: waits for room, takes a group and writes it, then queues its commit. */
        private <W> void writeNext(int maxGroupRows, long lingerMs, Stages<W> stages) {
            if (queue.isEmpty()) {
                return; // an earlier task took this batch into its group
            }
            boolean interrupted = false;
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                // stopping past Camel's shutdown timeout: the group is still written and committed or failed, never
                // left without an answer to its source
                interrupted = true;
                inFlight.acquireUninterruptibly();
            }
            try {
                if (!interrupted) {
                    linger(lingerMs, maxGroupRows);
                }
                List<PendingBatch> group = take(maxGroupRows);
                if (group.isEmpty()) {
                    inFlight.release();
                    return;
                }
                W written;
                try {
                    written = stages.write(group);
                } catch (RuntimeException | Error e) {
                    inFlight.release(); // write never throws; if it does, the lane must not stall for good
                    throw e;
                }
                handOff(written, stages);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private <W> void handOff(W written, Stages<W> stages) {
            try {
                committer.execute(() -> {
                    boolean committed = false;
                    try {
                        committed = stages.commit(written, lastCommitFailed);
                    } finally {
                        // an Error counts as a failure too: the group written next may have left out its events
                        lastCommitFailed = !committed;
                        inFlight.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                inFlight.release();
                stages.abandon(written, e);
            }
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
