package dev.floe.camel.iceberg;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.hadoop.fs.FSError;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.DeleteFilter;
import org.apache.iceberg.data.DeleteLoader;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.ClusteredDataWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.PartitionUtil;

/**
 * Rewrites bins of data files: reads each file's live rows with Iceberg's generic reader and delete filter (its
 * position and equality deletes applied), and writes them with Iceberg's writers into new files of the same spec and
 * partition, in the table's format. Everything runs on the calling thread.
 */
final class CompactionWriter {

    private final Table table;
    private final Schema schema;
    private final FileWriterFactory<Record> writers;
    private final OutputFileFactory files;
    private final long rollBytes;

    CompactionWriter(Table table, long targetBytes) {
        this.table = table;
        this.schema = table.schema();
        FileFormat format = DataFileWriter.format(table);
        this.writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(format)
                .dataSchema(schema)
                .writerProperties(table.properties())
                .build();
        // a random operation id keeps file names unique across replicas and runs
        this.files = OutputFileFactory.builderFor(table, 1, 1).format(format)
                .operationId("compact-" + UUID.randomUUID()).build();
        // a bin holds about the target in input bytes: roll well past it, so rows that compress a little worse than
        // before do not leave a tiny tail file
        this.rollBytes = targetBytes + targetBytes / 2;
    }

    /** Writes every bin; on failure deletes what it wrote and throws. */
    List<DataFile> write(List<List<FileScanTask>> bins) throws IOException {
        List<DataFile> written = new ArrayList<>();
        try {
            for (List<FileScanTask> bin : bins) {
                written.addAll(writeBin(bin));
            }
            return written;
        } catch (IOException | RuntimeException e) {
            DataFileWriter.delete(table.io(), written);
            throw e;
        } catch (FSError e) {
            DataFileWriter.delete(table.io(), written);
            throw DataFileWriter.ioFailure(e);
        }
    }

    private List<DataFile> writeBin(List<FileScanTask> bin) throws IOException {
        DataFile first = bin.get(0).file();
        PartitionSpec spec = table.specs().get(first.specId());
        StructLike partition = first.partition();
        ClusteredDataWriter<Record> writer = new ClusteredDataWriter<>(writers, files, table.io(), rollBytes);
        boolean complete = false;
        try {
            for (FileScanTask task : bin) {
                try (CloseableIterable<Record> rows = liveRows(task)) {
                    for (Record row : rows) {
                        // the bin's own partition, not one derived from the row: files stay in their spec
                        writer.write(row, spec, partition);
                    }
                }
            }
            complete = true;
        } finally {
            writer.close();
            if (!complete) {
                DataFileWriter.delete(table.io(), writer.result().dataFiles());
            }
        }
        return writer.result().dataFiles();
    }

    /** The rows of the task's file that its deletes leave, in the table's schema. */
    private CloseableIterable<Record> liveRows(FileScanTask task) {
        CloseableIterable<Record> live = LiveRows.read(table, task, schema);
        int columns = schema.columns().size();
        // the delete filter may read extra columns (the row position) after the table's: leave them out
        return CloseableIterable.transform(live, row -> {
            if (row.size() == columns) {
                return row;
            }
            GenericRecord copy = GenericRecord.create(schema);
            for (int i = 0; i < columns; i++) {
                copy.set(i, row.get(i));
            }
            return copy;
        });
    }
}
