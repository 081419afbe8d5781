package dev.floe.camel.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committer stage of a table's lane: commits each group {@link TableWriter} wrote, one at a time, in the order they
 * were written, with its own instance of the table (the writer stage refreshes and evolves its own meanwhile).
 * <p>
 * A group written while the group before it was still committing builds on that commit in one way only: rows whose
 * (source, id) the earlier group held were left out as duplicates. If that commit fails, the group is failed as well
 * and its files deleted (no commit ever named them); its sources send again. Source offsets need nothing of the kind:
 * each batch claims on top of the previous batch's claim, and the compare-and-set against the table's watermarks is
 * built and checked here, on the table as it is when the commit runs, so a group behind a failed one fails it.
 * Not thread-safe: used from its table lane's committer thread only.
 */
final class GroupCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    private final IcebergEndpoint endpoint;
    private final TableIdentifier id;
    private final BatchCommitter committer;
    // the table's dedup window, shared with every writer of the table in this process; null when off
    private final RecentEvents recent;
    private Table table;

    GroupCommitter(IcebergEndpoint endpoint, TableIdentifier id, RecentEvents recent) {
        IcebergConfiguration conf = endpoint.getConfiguration();
        this.endpoint = endpoint;
        this.id = id;
        this.recent = recent;
        this.committer = new BatchCommitter(id, conf.getCommitRetries(), conf.getCommitRetryDelay(),
                conf.getCommitReconcileTimeout());
    }

    /** What happened to each batch of a group. */
    record Outcome(Long snapshotId, int dataFiles, long dataFileBytes, Map<PendingBatch, Integer> rows,
            Map<PendingBatch, RuntimeException> failures) {
    }

    /**
     * @param afterFailure the group committed before this one failed: a group that left rows out as its duplicates must
     *                     fail too
     */
    Outcome commit(WrittenGroup written, boolean afterFailure) {
        try {
            return commitOrFail(written, afterFailure);
        } catch (Error e) {
            // a failed disk or the like: the group's keys must not stay taken, or every resend of them would be
            // dropped as a duplicate of a commit that never happened
            if (recent != null) {
                recent.abandoned(written.keys());
            }
            throw e;
        }
    }

    private Outcome commitOrFail(WrittenGroup written, boolean afterFailure) {
        Map<PendingBatch, RuntimeException> failures = written.failures();
        // before the empty check: a retry made only of events of the failed group wrote nothing, and must not be
        // acknowledged as if they were in the table
        if (afterFailure && written.dependsOnInFlight()) {
            fail(written, new IcebergWriteException(id, written.batchIds(), "commit", new IllegalStateException(
                    "some of its events were left out as duplicates of the group written before it, whose commit"
                            + " failed: sent again, they will be written")));
            return new Outcome(null, 0, 0, written.rows(), failures);
        }
        if (written.empty()) {
            return new Outcome(null, 0, 0, written.rows(), failures);
        }
        Table current;
        try {
            current = currentTable();
        } catch (RuntimeException e) {
            table = null;
            fail(written, new IcebergWriteException(id, written.batchIds(), "load", e));
            return new Outcome(null, 0, 0, written.rows(), failures);
        }
        try {
            long snapshotId = committer.commit(current, written.batchIds(), written.files(), written.deletes(),
                    written.offsets());
            if (recent != null) {
                recent.committed(snapshotId, written.keys());
            }
            long bytes = written.files().stream().mapToLong(DataFile::fileSizeInBytes).sum();
            LOG.debug("Committed {} batches to {}: {} rows, {} files, snapshot {}", written.committing().size(), id,
                    written.records(), written.files().size(), snapshotId);
            return new Outcome(snapshotId, written.files().size(), bytes, written.rows(), failures);
        } catch (RuntimeException e) {
            // the committer deleted the files if a fresh read proved them unreferenced, and kept them otherwise; a
            // commit whose outcome stayed unknown is not ours to the window: if it landed, catchUp reads it back
            if (recent != null) {
                recent.abandoned(written.keys());
            }
            written.committing().forEach(b -> failures.put(b, e));
            return new Outcome(null, 0, 0, written.rows(), failures);
        }
    }

    /** Fails a group that no commit has named: its files are provably unreferenced. */
    void fail(WrittenGroup written, RuntimeException why) {
        if (recent != null) {
            recent.abandoned(written.keys());
        }
        written.committing().forEach(b -> written.failures().put(b, why));
        if (written.io() != null) {
            List<ContentFile<?>> files = new ArrayList<>(written.files());
            files.addAll(written.deletes());
            DataFileWriter.delete(written.io(), files);
        }
    }

    /** Read right before the commit: what it validates against and the watermarks it carries must be the newest. */
    private Table currentTable() {
        if (table == null) {
            table = endpoint.catalog().loadTable(id);
        } else {
            table.refresh();
        }
        return table;
    }
}
