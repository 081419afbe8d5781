package dev.floe.camel.iceberg;

import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A commit failed in a way that may have applied it (a lost response, a catalog that answered 5xx), and no fresh read of
 * the table could settle whether the batch is there. Its files are kept and its source is not acknowledged. If it did
 * land, the table's dedup window reads it back (it is not a snapshot this process knows it wrote), so a sender's resend
 * is dropped; if it never lands, orphan cleanup removes the files.
 */
public class CommitOutcomeUnknownException extends IcebergWriteException {

    public CommitOutcomeUnknownException(TableIdentifier table, String batchId, Throwable cause) {
        super(table, batchId, "commit", cause);
    }
}
