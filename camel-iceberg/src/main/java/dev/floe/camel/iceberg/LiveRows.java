package dev.floe.camel.iceberg;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.DeleteFilter;
import org.apache.iceberg.data.DeleteLoader;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.PartitionUtil;

/**
 * A table's rows as Iceberg's generic reader gives them (each file's position and equality deletes applied), planned
 * and read on the calling thread. Iceberg's own {@code IcebergGenerics} plans on its worker pool and loads deletes on
 * its delete pool, and its shutdown hook shuts both as soon as the JVM starts exiting, while the batches completed on
 * stop still have to commit (a dedup window read at that moment, for one).
 */
final class LiveRows {

    private LiveRows() {
    }

    /** A scan of the table's current snapshot that plans on the calling thread. */
    static TableScan scan(Table table) {
        return table.newScan().planWith(BatchCommitter.ON_LANE_THREAD);
    }

    /**
     * The rows of the task's file that its deletes leave, with the columns of {@code projection} first, in its order,
     * followed by any the delete filter needed.
     */
    static CloseableIterable<Record> read(Table table, FileScanTask task, Schema projection) {
        DeleteFilter<Record> deletes = new GenericDeleteFilter(table.io(), task, table.schema(), projection) {

            @Override
            protected DeleteLoader newDeleteLoader() {
                return new BaseDeleteLoader(this::loadInputFile, BatchCommitter.ON_LANE_THREAD);
            }
        };
        CloseableIterable<Record> rows = FormatModelRegistry
                .<Record, Object>readBuilder(task.file().format(), Record.class, table.io().newInputFile(task.file()))
                .project(deletes.requiredSchema())
                .idToConstant(PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant))
                .build();
        return deletes.filter(rows);
    }
}
