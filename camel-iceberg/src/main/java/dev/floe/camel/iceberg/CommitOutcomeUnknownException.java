package dev.floe.camel.iceberg;

import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A commit failed in a way that may have applied it (a lost response, a catalog that answered 5xx), and no fresh read of
 * the table could settle whether the batch is there. Its files are kept and its source is not acknowledged; the next
 * read that succeeds settles it (see {@link TableWriter}), and orphan cleanup removes the files if it never landed.
 */
public class CommitOutcomeUnknownException extends IcebergWriteException {

    private final transient Long beforeSnapshotId;

    public CommitOutcomeUnknownException(TableIdentifier table, String batchId, Long beforeSnapshotId,
            Throwable cause) {
        super(table, batchId, "commit", cause);
        this.beforeSnapshotId = beforeSnapshotId;
    }

    /** The table's current snapshot before the commit: the batch, if it landed, is after it. */
    Long beforeSnapshotId() {
        return beforeSnapshotId;
    }
}
