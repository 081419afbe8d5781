package dev.floe.camel.iceberg;

import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A batch could not be written or committed. Names the table, the batch and the action that failed.
 */
public class IcebergWriteException extends RuntimeException {

    private final String table;
    private final String batchId;
    private final String action;

    public IcebergWriteException(TableIdentifier table, String batchId, String action, Throwable cause) {
        super("Iceberg " + action + " failed for table " + table + ", batch " + batchId + ": " + cause.getMessage(),
                cause);
        this.table = table.toString();
        this.batchId = batchId;
        this.action = action;
    }

    public String getTable() {
        return table;
    }

    public String getBatchId() {
        return batchId;
    }

    /** One of: queue, load, create, convert, write, commit. */
    public String getAction() {
        return action;
    }
}
