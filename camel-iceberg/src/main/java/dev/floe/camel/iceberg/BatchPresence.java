package dev.floe.camel.iceberg;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;

/**
 * Validates a commit against the table it swaps into: refuses it when a snapshot after {@code beforeId} already names
 * the batch (an earlier try that landed although its caller never heard), then applies the source offsets check if
 * there is one, then checks that the watermarks it carries forward are still the table's. Iceberg runs it on every
 * internal retry, so a late-landing earlier try can never be appended twice, nor a mark moved back.
 */
final class BatchPresence implements SnapshotAncestryValidator {

    private final String batchId;
    private final Long beforeId;
    private final SnapshotAncestryValidator offsets;
    private final CarriedWatermarks carried;
    private volatile boolean found;
    private volatile boolean staleCarry;
    private volatile boolean historyCut;

    BatchPresence(String batchId, Long beforeId, SourceOffsets offsets, CarriedWatermarks carried) {
        this.batchId = batchId;
        this.beforeId = beforeId;
        this.offsets = offsets == null ? null : offsets.validator();
        this.carried = carried;
    }

    @Override
    public boolean validate(Iterable<Snapshot> ancestry) {
        // Iceberg validates again on each of its own retries, against the table as it is then
        found = false;
        staleCarry = false;
        historyCut = false;
        Snapshot oldest = null;
        for (Snapshot s : ancestry) {
            if (beforeId != null && s.snapshotId() == beforeId) {
                break;
            }
            if (batchId.equals(s.summary().get(IcebergConstants.SUMMARY_BATCH_ID))) {
                found = true;
                return false;
            }
            oldest = s;
        }
        // the walk stopped short of beforeId (or of the first snapshot): expiry removed snapshots an earlier try of
        // this batch may be in, so nothing proves it absent
        historyCut = oldest != null && oldest.parentId() != null && !oldest.parentId().equals(beforeId);
        if (historyCut) {
            return false;
        }
        if (offsets != null && !offsets.validate(ancestry)) {
            return false;
        }
        staleCarry = !CarriedWatermarks.of(ancestry).equals(carried);
        return !staleCarry;
    }

    @Override
    public String errorMessage() {
        // Iceberg asks for the message whether or not the validation failed
        if (found) {
            return "batch " + batchId + " is in the table already (an earlier try landed)";
        }
        if (historyCut) {
            return "snapshots after the one this batch was first tried on have been expired: whether an earlier try"
                    + " landed cannot be told";
        }
        if (staleCarry) {
            return "another writer moved the table's watermarks since they were read: read them again";
        }
        return offsets == null ? "" : offsets.errorMessage();
    }

    /** True when the last validation found the carried watermarks out of date (retry with fresh ones). */
    boolean staleCarry() {
        return staleCarry;
    }

    /** True when the last validation found the history since the first try cut by snapshot expiry. */
    boolean historyCut() {
        return historyCut;
    }

    /** True when the last validation found the batch in the table. */
    boolean found() {
        return found;
    }
}
