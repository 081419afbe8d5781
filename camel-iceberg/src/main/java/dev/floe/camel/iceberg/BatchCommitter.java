package dev.floe.camel.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.fs.FSError;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.iceberg.util.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits one batch's files as one append (or row delta), with the batch id in the snapshot summary, and never guesses
 * the outcome of a try:
 * <ul>
 * <li>A try that failed in a way that proves nothing was applied (a conflict, a refused validation, a 401/403/404) is
 * retried or given up.</li>
 * <li>Any other failure (a lost response, a 5xx, {@code CommitStateUnknownException}) may have applied the commit:
 * nothing is retried until a fresh read of the table, itself retried with backoff, says whether the batch id is there.
 * Found: the batch is committed. Absent: the next try may run. No answer within the reconcile timeout: the batch fails
 * with {@link CommitOutcomeUnknownException} and its files are kept.</li>
 * <li>Every try is validated against the table it swaps into ({@link BatchPresence}): a try that lands after an
 * earlier one of the same batch is refused, so a batch is never appended twice.</li>
 * <li>Files are deleted only when a fresh read proves that no snapshot holds the batch; in doubt they are left to
 * orphan cleanup.</li>
 * <li>Every snapshot carries every source's watermarks forward ({@link CarriedWatermarks}), checked like the rest at
 * the moment it swaps in, so no commit and no expiry can lose a Kafka position.</li>
 * </ul>
 */
final class BatchCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);
    private static final long MAX_DELAY_MS = 10_000;
    // Iceberg's shared worker pool is shut down by its own JVM shutdown hook as soon as SIGTERM arrives, while the
    // batches completed on stop still have to commit: their manifests are read and written on the table's lane thread
    // (maintenance does the same on its caller's thread)
    static final ExecutorService ON_LANE_THREAD = new CallerThreadExecutor();

    private final TableIdentifier id;
    private final int retries;
    private final long initialDelayMs;
    private final long reconcileTimeoutMs;

    BatchCommitter(TableIdentifier id, int retries, long initialDelayMs, long reconcileTimeoutMs) {
        this.id = id;
        this.retries = retries;
        this.initialDelayMs = Math.max(1, initialDelayMs);
        this.reconcileTimeoutMs = reconcileTimeoutMs;
    }

    long commit(Table table, String batchId, List<DataFile> files) {
        return commit(table, batchId, files, List.of(), null);
    }

    /**
     * One AppendFiles, or one RowDelta when there are delete files (upserts). With source offsets the commit is
     * compare-and-set on them (an AppendFiles even without files, so the watermark moves).
     *
     * @return the id of the snapshot that holds the batch
     */
    long commit(Table table, String batchId, List<DataFile> files, List<DeleteFile> deletes, SourceOffsets offsets) {
        Snapshot before = table.currentSnapshot();
        Long beforeId = before == null ? null : before.snapshotId();
        long delay = initialDelayMs;
        boolean staleCarry = false;
        for (int attempt = 0;; attempt++) {
            BatchPresence presence = null;
            RuntimeException failure;
            boolean retryable;
            try {
                if (staleCarry) {
                    // read right before the try, not before a pause: another writer may commit several times meanwhile
                    table.refresh();
                }
                Snapshot head = table.currentSnapshot();
                CarriedWatermarks carried = CarriedWatermarks
                        .of(head == null ? List.of() : SnapshotUtil.ancestorsOf(head.snapshotId(), table::snapshot));
                presence = new BatchPresence(batchId, beforeId, offsets, carried);
                apply(table, batchId, files, deletes, carried.with(offsets), presence);
                Long committed = findBatch(table, batchId, beforeId);
                return committed != null ? committed : table.currentSnapshot().snapshotId();
            } catch (ValidationException e) {
                if (presence != null && presence.historyCut()) {
                    // expiry removed snapshots this batch's absence rests on: no read can settle it, keep the files
                    throw new CommitOutcomeUnknownException(id, batchId, e);
                }
                Long landed = presence != null && presence.found() ? reconcile(table, batchId, beforeId, e) : null;
                if (landed != null) {
                    return landed;
                }
                failure = e;
                // marks carried from a snapshot that another writer has since replaced: read them again and retry at
                // once; otherwise this batch's own offsets moved, and another writer owns these partitions now
                staleCarry = presence != null && presence.staleCarry();
                retryable = staleCarry;
            } catch (CommitFailedException e) {
                failure = e; // a conflict that Iceberg's own retries did not get past; nothing was applied
                retryable = true;
                staleCarry = false;
            } catch (ForbiddenException | NotAuthorizedException | NoSuchTableException e) {
                failure = e; // refused before anything was applied
                retryable = false;
            } catch (RuntimeException e) {
                Long landed = reconcile(table, batchId, beforeId, e);
                if (landed != null) {
                    LOG.info("Batch {} on {} was committed despite {}: reconciled to snapshot {}", batchId, id,
                            e.getClass().getSimpleName(), landed);
                    return landed;
                }
                failure = e; // a fresh read proved it did not land
                retryable = true;
                staleCarry = false;
            }
            if (!retryable || attempt >= retries) {
                deleteIfProvenAbsent(table, batchId, beforeId, files, deletes, failure);
                throw new IcebergWriteException(id, batchId, "commit", failure);
            }
            if (staleCarry) {
                LOG.debug("Commit of batch {} to {} carried watermarks another writer has moved; trying again",
                        batchId, id);
                continue;
            }
            LOG.warn("Commit of batch {} to {} failed (try {} of {}), retrying in {} ms: {}", batchId, id, attempt + 1,
                    retries + 1, delay, failure.toString());
            pause(delay, batchId, failure);
            delay = Math.min(delay * 2, MAX_DELAY_MS);
        }
    }

    private static void apply(Table table, String batchId, List<DataFile> files, List<DeleteFile> deletes,
            CarriedWatermarks watermarks, BatchPresence presence) {
        SnapshotUpdate<?> update;
        if (deletes.isEmpty()) {
            AppendFiles append = table.newAppend();
            files.forEach(append::appendFile);
            update = append;
        } else {
            RowDelta delta = table.newRowDelta();
            files.forEach(delta::addRows);
            deletes.forEach(delta::addDeletes);
            update = delta;
        }
        update.scanManifestsWith(ON_LANE_THREAD);
        update.writeManifestsWith(ON_LANE_THREAD, 1);
        update.set(IcebergConstants.SUMMARY_BATCH_ID, batchId);
        watermarks.writeTo(update);
        update.validateWith(presence);
        try {
            update.commit();
        } catch (FSError e) {
            // a full local disk: whether the commit applied is for reconcile to read, like after any I/O failure
            throw DataFileWriter.ioFailure(e);
        }
    }

    /**
     * Reads the table afresh, retrying the read with backoff, until it says whether the batch is there.
     *
     * @return the snapshot holding the batch, or null when a fresh read proves it absent
     * @throws CommitOutcomeUnknownException when no read succeeded within the reconcile timeout
     */
    private Long reconcile(Table table, String batchId, Long beforeId, RuntimeException failure) {
        Long[] landed = new Long[1];
        boolean[] cut = new boolean[1];
        try {
            Tasks.foreach(batchId)
                    // bounded by the timeout; Tasks adds one to this count, so MAX_VALUE would overflow to no retry
                    .retry(1_000_000)
                    .exponentialBackoff(initialDelayMs, MAX_DELAY_MS, reconcileTimeoutMs, 2.0)
                    .throwFailureWhenFinished()
                    .run(b -> {
                        table.refresh();
                        landed[0] = findBatch(table, b, beforeId);
                        cut[0] = landed[0] == null && historyCut(table, beforeId);
                    });
        } catch (RuntimeException unreadable) {
            failure.addSuppressed(unreadable);
            LOG.error("Batch {} on {}: commit outcome unknown after {}, and the table could not be read for {} ms;"
                    + " its files are kept and its source is not acknowledged", batchId, id, failure.toString(),
                    reconcileTimeoutMs);
            throw new CommitOutcomeUnknownException(id, batchId, failure);
        }
        if (cut[0]) {
            LOG.error("Batch {} on {}: commit outcome unknown after {}, and snapshot expiry has removed part of the"
                    + " table's history since; its files are kept and its source is not acknowledged", batchId, id,
                    failure.toString());
            throw new CommitOutcomeUnknownException(id, batchId, failure);
        }
        return landed[0];
    }

    /** Reads the table afresh; false (the failure noted) when it cannot be read. */
    private static boolean refreshed(Table table, RuntimeException failure) {
        try {
            table.refresh();
            return true;
        } catch (RuntimeException unreadable) {
            failure.addSuppressed(unreadable);
            return false;
        }
    }

    private void deleteIfProvenAbsent(Table table, String batchId, Long beforeId, List<DataFile> files,
            List<DeleteFile> deletes, RuntimeException failure) {
        if (!refreshed(table, failure) || findBatch(table, batchId, beforeId) != null
                || historyCut(table, beforeId)) {
            return; // in doubt, or a snapshot holds them: keep them (orphan cleanup removes unreferenced files)
        }
        List<ContentFile<?>> written = new ArrayList<>(files);
        written.addAll(deletes);
        DataFileWriter.delete(table.io(), written);
    }

    /** The id of the snapshot after {@code beforeId} whose summary names this batch, or null. */
    static Long findBatch(Table table, String batchId, Long beforeId) {
        for (Snapshot s = table.currentSnapshot(); s != null; s = parent(table, s)) {
            if (beforeId != null && s.snapshotId() == beforeId) {
                return null;
            }
            if (batchId.equals(s.summary().get(IcebergConstants.SUMMARY_BATCH_ID))) {
                return s.snapshotId();
            }
        }
        return null;
    }

    /**
     * True when snapshot expiry has removed part of the history after {@code beforeId}: walking back from the head ends
     * at a snapshot whose parent is gone before it gets there. Absence found by {@link #findBatch} then proves nothing:
     * the batch may be in an expired snapshot while its files live on in the newer ones.
     */
    static boolean historyCut(Table table, Long beforeId) {
        for (Snapshot s = table.currentSnapshot(); s != null; s = parent(table, s)) {
            if (beforeId != null && (s.snapshotId() == beforeId || beforeId.equals(s.parentId()))) {
                return false;
            }
            if (s.parentId() != null && table.snapshot(s.parentId()) == null) {
                return true;
            }
        }
        return false;
    }

    private static Snapshot parent(Table table, Snapshot snapshot) {
        Long parentId = snapshot.parentId();
        return parentId == null ? null : table.snapshot(parentId);
    }

    private void pause(long delayMs, String batchId, RuntimeException failure) {
        try {
            TimeUnit.MILLISECONDS.sleep(delayMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IcebergWriteException(id, batchId, "commit", failure);
        }
    }

    /** Runs each task at once on the calling thread; never shut down. */
    private static final class CallerThreadExecutor extends AbstractExecutorService {

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }
    }
}
