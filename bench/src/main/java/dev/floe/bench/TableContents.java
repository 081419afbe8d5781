package dev.floe.bench;

import java.util.BitSet;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * What a sink left in its table, as a reader sees it: the live data files and their size, and the rows read back with
 * Iceberg's generic reader, counting distinct event ids ({@code ev-<n>}, as {@link KafkaBench#preload} writes them).
 */
record TableContents(int files, long bytes, long rowsRead, long distinctIds) {

    static TableContents read(Table table) throws Exception {
        int files = 0;
        long bytes = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                files++;
                bytes += task.file().fileSizeInBytes();
            }
        }
        long rows = 0;
        BitSet seen = new BitSet();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).select("id").build()) {
            for (Record r : records) {
                rows++;
                seen.set(Integer.parseInt(((String) r.getField("id")).substring("ev-".length())));
            }
        }
        return new TableContents(files, bytes, rows, seen.cardinality());
    }

    long meanFileBytes() {
        return files == 0 ? 0 : bytes / files;
    }
}
