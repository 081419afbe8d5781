package dev.floe.camel.iceberg;

import org.apache.camel.spi.Metadata;

/**
 * Message headers read and written by the Iceberg producer.
 */
public final class IcebergConstants {

    @Metadata(label = "producer", description = "Overrides the table of the endpoint path for this exchange, as namespace.table."
            + " It is validated like the path: dot-separated names of letters, digits and underscores.", javaType = "String")
    public static final String TABLE = "CamelIcebergTable";
    @Metadata(label = "producer", description = "The id of this batch (no commas), stored in the snapshot summary under floe.batch-id; a group commit lists its batches comma-separated."
            + " A commit whose outcome is unknown is reconciled by it. Defaults to the exchange id.", javaType = "String")
    public static final String BATCH_ID = "CamelIcebergBatchId";
    @Metadata(label = "producer", description = "The id of the snapshot that holds the batch.", javaType = "Long")
    public static final String SNAPSHOT_ID = "CamelIcebergSnapshotId";
    @Metadata(label = "producer", description = "How many rows the batch appended.", javaType = "Long")
    public static final String RECORD_COUNT = "CamelIcebergRecordCount";
    @Metadata(label = "producer", description = "How many data files the commit holding the batch added (a group commit holds several batches).", javaType = "Integer")
    public static final String DATA_FILES = "CamelIcebergDataFiles";
    @Metadata(label = "producer", description = "The total size in bytes of the data files the commit holding the batch added.", javaType = "Long")
    public static final String DATA_FILE_BYTES = "CamelIcebergDataFileBytes";
    @Metadata(label = "producer", description = "How long writing the data files and committing them took, in milliseconds.", javaType = "Long")
    public static final String COMMIT_DURATION = "CamelIcebergCommitDuration";

    @Metadata(label = "producer", description = "The source offsets (a SourceOffsets) the batch brings the table to: stored in the snapshot summary under a key floe.offsets. followed by the source name"
            + " and committed compare-and-set, so the commit fails if the table's watermarks for those partitions are no longer the expected ones.", javaType = "dev.floe.camel.iceberg.SourceOffsets")
    public static final String SOURCE_OFFSETS = "CamelIcebergSourceOffsets";

    /** The snapshot summary property that records which batch a snapshot holds. */
    public static final String SUMMARY_BATCH_ID = "floe.batch-id";

    private IcebergConstants() {
    }
}
