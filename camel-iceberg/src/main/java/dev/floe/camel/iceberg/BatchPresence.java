package dev.floe.camel.iceberg;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;

/**
 * Validates a commit against the table it swaps into: refuses it when a snapshot after {@code beforeId} already names
 * the batch (an earlier try that landed although its caller never heard), then applies the source offsets check if
 * there is one. Iceberg runs it on every internal retry, so a late-landing earlier try can never be appended twice.
 */
final class BatchPresence implements SnapshotAncestryValidator {

    private final String batchId;
    private final Long beforeId;
    private final SnapshotAncestryValidator offsets;
    private volatile boolean found;

    BatchPresence(String batchId, Long beforeId, SourceOffsets offsets) {
        this.batchId = batchId;
        this.beforeId = beforeId;
        this.offsets = offsets == null ? null : offsets.validator();
    }

    @Override
    public boolean validate(Iterable<Snapshot> ancestry) {
        for (Snapshot s : ancestry) {
            if (beforeId != null && s.snapshotId() == beforeId) {
                break;
            }
            if (batchId.equals(s.summary().get(IcebergConstants.SUMMARY_BATCH_ID))) {
                found = true;
                return false;
            }
        }
        return offsets == null || offsets.validate(ancestry);
    }

    @Override
    public String errorMessage() {
        // Iceberg asks for the message whether or not the validation failed
        if (found) {
            return "batch " + batchId + " is in the table already (an earlier try landed)";
        }
        return offsets == null ? "" : offsets.errorMessage();
    }

    /** True when the last validation found the batch in the table. */
    boolean found() {
        return found;
    }
}
