package dev.floe.camel.iceberg;

import java.util.List;
import java.util.Map;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.io.FileIO;

/**
 * A group of batches whose data files are written and not yet committed: what the writer stage hands to the committer
 * stage of a table's lane.
 *
 * @param group            every batch of the group, in order
 * @param committing       the batches whose rows are in the files (the others failed and are in {@code failures})
 * @param batchIds         the committing batches' ids, as the snapshot summary names them
 * @param io               where the files were written, to delete them if they are never committed
 * @param offsets          what the committing batches claim together, or null
 * @param keys             the dedup keys of the rows written, in flight in the table's window until the commit ends
 * @param dependsOnInFlight some rows were left out as duplicates of keys still in flight in the group before: if that
 *                         group's commit fails, this one is wrong too
 */
record WrittenGroup(List<PendingBatch> group, List<PendingBatch> committing, String batchIds, FileIO io,
        List<DataFile> files, List<DeleteFile> deletes, int records, SourceOffsets offsets, List<String> keys,
        boolean dependsOnInFlight, Map<PendingBatch, Integer> rows, Map<PendingBatch, RuntimeException> failures) {

    /** A group that failed before anything was written. */
    static WrittenGroup failed(List<PendingBatch> group, Map<PendingBatch, Integer> rows,
            Map<PendingBatch, RuntimeException> failures) {
        return new WrittenGroup(group, List.of(), "", null, List.of(), List.of(), 0, null, List.of(), false, rows,
                failures);
    }

    /** Nothing to commit: every batch failed, or had only duplicates and claims no offsets. */
    boolean empty() {
        return committing.isEmpty() || records == 0 && offsets == null;
    }
}
