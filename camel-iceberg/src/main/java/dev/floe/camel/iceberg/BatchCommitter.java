package dev.floe.camel.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits one batch's data files as one append, with the batch id in the snapshot summary.
 * <p>
 * A failed commit is retried with a doubling delay. Before each retry the table is reloaded and searched for the batch
 * id, because a commit that failed with an unknown state (or a lost response) may have landed: the batch is then
 * reported as committed, never appended twice.
 */
final class BatchCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);
    private static final long MAX_DELAY_MS = 10_000;
    // Iceberg's shared worker pool is shut down by its own JVM shutdown hook as soon as SIGTERM arrives, while the
    // batches completed on stop still have to commit: their manifests are read and written on the table's lane thread
    private static final ExecutorService ON_LANE_THREAD = new CallerThreadExecutor();

    private final TableIdentifier id;
    private final int retries;
    private final long initialDelayMs;

    BatchCommitter(TableIdentifier id, int retries, long initialDelayMs) {
        this.id = id;
        this.retries = retries;
        this.initialDelayMs = initialDelayMs;
    }

    long commit(Table table, String batchId, List<DataFile> files) {
        return commit(table, batchId, files, List.of(), null);
    }

    /**
     * One AppendFiles, or one RowDelta when there are delete files (upserts). With source offsets the commit is
     * compare-and-set on them (an AppendFiles even without files, so the watermark moves).
     */
    long commit(Table table, String batchId, List<DataFile> files, List<DeleteFile> deletes, SourceOffsets offsets) {
        List<ContentFile<?>> written = new ArrayList<>(files);
        written.addAll(deletes);
        Snapshot before = table.currentSnapshot();
        Long beforeId = before == null ? null : before.snapshotId();
        long delay = Math.max(1, initialDelayMs);
        for (int attempt = 0;; attempt++) {
            RuntimeException failure;
            try {
                if (deletes.isEmpty()) {
                    AppendFiles append = table.newAppend().scanManifestsWith(ON_LANE_THREAD)
                            .writeManifestsWith(ON_LANE_THREAD, 1);
                    files.forEach(append::appendFile);
                    append.set(IcebergConstants.SUMMARY_BATCH_ID, batchId);
                    if (offsets != null) {
                        append.set(offsets.summaryKey(), offsets.encodedClaims()).validateWith(offsets.validator());
                    }
                    append.commit();
                } else {
                    RowDelta delta = table.newRowDelta().scanManifestsWith(ON_LANE_THREAD)
                            .writeManifestsWith(ON_LANE_THREAD, 1);
                    files.forEach(delta::addRows);
                    deletes.forEach(delta::addDeletes);
                    delta.set(IcebergConstants.SUMMARY_BATCH_ID, batchId);
                    if (offsets != null) {
                        delta.set(offsets.summaryKey(), offsets.encodedClaims()).validateWith(offsets.validator());
                    }
                    delta.commit();
                }
                Long committed = findBatch(table, batchId, beforeId);
                if (committed != null) {
                    return committed;
                }
                return table.currentSnapshot().snapshotId();
            } catch (ValidationException | NoSuchTableException | ForbiddenException | NotAuthorizedException e) {
                // retrying cannot help; nothing was committed
                DataFileWriter.delete(table.io(), written);
                throw new IcebergWriteException(id, batchId, "commit", e);
            } catch (RuntimeException e) {
                failure = e;
            }

            Long reconciled;
            try {
                table.refresh();
                reconciled = findBatch(table, batchId, beforeId);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
                reconciled = null;
                if (attempt >= retries) {
                    // the outcome cannot be known: keep the files, the snapshot may reference them
                    throw new IcebergWriteException(id, batchId, "commit", failure);
                }
            }
            if (reconciled != null) {
                LOG.info("Batch {} on {} was committed despite {}: reconciled to snapshot {}", batchId, id,
                        failure.getClass().getSimpleName(), reconciled);
                return reconciled;
            }
            if (attempt >= retries) {
                if (!(failure instanceof CommitStateUnknownException)) {
                    DataFileWriter.delete(table.io(), written);
                }
                throw new IcebergWriteException(id, batchId, "commit", failure);
            }
            LOG.warn("Commit of batch {} to {} failed (try {} of {}), retrying in {} ms: {}", batchId, id, attempt + 1,
                    retries + 1, delay, failure.toString());
            pause(delay, batchId, failure);
            delay = Math.min(delay * 2, MAX_DELAY_MS);
        }
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
