package dev.floe.camel.iceberg;

import org.apache.iceberg.SnapshotAncestryValidator;
import org.apache.iceberg.Snapshot;

/**
 * Refuses a maintenance commit when the watermarks it carries forward are no longer the table's as it swaps in (an
 * ingest commit moved them meanwhile): carrying the old ones would move a Kafka position back.
 */
final class WatermarksUnchanged implements SnapshotAncestryValidator {

    private final CarriedWatermarks carried;
    private volatile CarriedWatermarks found;

    WatermarksUnchanged(CarriedWatermarks carried) {
        this.carried = carried;
    }

    @Override
    public boolean validate(Iterable<Snapshot> ancestry) {
        found = CarriedWatermarks.of(ancestry);
        return found.equals(carried);
    }

    @Override
    public String errorMessage() {
        return "an ingest commit moved the table's watermarks to " + found + " since they were read as " + carried;
    }
}
