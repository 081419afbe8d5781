package dev.floe.camel.iceberg;

/** What one committed batch added to its table. */
record BatchResult(Long snapshotId, long recordCount, int dataFiles, long dataFileBytes) {
}
