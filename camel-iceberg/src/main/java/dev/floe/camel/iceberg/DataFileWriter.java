package dev.floe.camel.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;

import org.apache.hadoop.fs.FSError;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.PartitionedWriter;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.io.UnpartitionedWriter;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Writes one batch of records into data files through Iceberg's own task writers, one file or more per partition, one
 * partition at a time.
 */
final class DataFileWriter {

    private DataFileWriter() {
    }

    static List<DataFile> write(Table table, List<Record> records, Long targetFileSize) throws IOException {
        return Arrays.asList(write(table, records, null, null, targetFileSize).dataFiles());
    }

    /**
     * Writes the records; with a key schema, as upserts (and, for the indexes in {@code deletes}, deletes) of that key.
     */
    static WriteResult write(Table table, List<Record> records, BitSet deletes, Schema keySchema, Long targetFileSize)
            throws IOException {
        FileFormat format = format(table);
        long target = targetSize(table, targetFileSize);
        GenericFileWriterFactory.Builder factory = writerFactory(table, format);
        if (keySchema != null) {
            factory.deleteFileFormat(format)
                    .equalityFieldIds(TypeUtil.indexById(keySchema.asStruct()).entrySet().stream()
                            .filter(e -> e.getValue().type().isPrimitiveType()).mapToInt(Map.Entry::getKey).toArray())
                    .equalityDeleteRowSchema(keySchema);
        }
        FileWriterFactory<Record> writers = factory.build();
        OutputFileFactory files = outputFiles(table, format);
        int[] order = clustered(table, records);
        if (keySchema != null) {
            UpsertWriter upserts = new UpsertWriter(table, format, writers, files, target, keySchema);
            try {
                for (int i : order) {
                    if (deletes != null && deletes.get(i)) {
                        upserts.delete(records.get(i));
                    } else {
                        upserts.write(records.get(i));
                    }
                }
                return upserts.complete();
            } catch (IOException | RuntimeException e) {
                upserts.abort();
                throw e;
            } catch (FSError e) {
                upserts.abort();
                throw ioFailure(e);
            }
        }
        TaskWriter<Record> writer = table.spec().isUnpartitioned()
                ? new UnpartitionedWriter<>(table.spec(), format, writers, files, table.io(), target)
                : new PartitionedRecordWriter(table, format, writers, files, target);
        try {
            for (int i : order) {
                writer.write(records.get(i));
            }
            return writer.complete();
        } catch (IOException | RuntimeException e) {
            writer.abort();
            throw e;
        } catch (FSError e) {
            writer.abort();
            throw ioFailure(e);
        }
    }

    /**
     * A writer of appended rows into an unpartitioned table's data files, rolling to a new file at the target size: the
     * rows of a {@link StagedBatch}, written as they arrive.
     */
    static TaskWriter<Record> openAppend(Table table, Long targetFileSize) {
        if (!table.spec().isUnpartitioned()) {
            throw new IllegalArgumentException("rows are written as they arrive into unpartitioned tables only");
        }
        FileFormat format = format(table);
        return new UnpartitionedWriter<>(table.spec(), format, writerFactory(table, format).build(),
                outputFiles(table, format), table.io(),
                targetSize(table, targetFileSize));
    }

    /** The table's data file format (write.format.default). */
    static FileFormat format(Table table) {
        return FileFormat.fromString(table.properties()
                .getOrDefault(TableProperties.DEFAULT_FILE_FORMAT, TableProperties.DEFAULT_FILE_FORMAT_DEFAULT)
                .toUpperCase(Locale.ROOT));
    }

    private static GenericFileWriterFactory.Builder writerFactory(Table table, FileFormat format) {
        return new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(format)
                .dataSchema(table.schema())
                .writerProperties(table.properties());
    }

    private static long targetSize(Table table, Long targetFileSize) {
        return targetFileSize != null
                ? targetFileSize
                : PropertyUtil.propertyAsLong(table.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    }

    private static OutputFileFactory outputFiles(Table table, FileFormat format) {
        // a random operation id keeps file names unique across replicas and retries
        return OutputFileFactory.builderFor(table, 1, 1)
                .format(format)
                .operationId(UUID.randomUUID().toString())
                .build();
    }

    /**
     * The order to write the records in: clustered by partition, first-seen partition first, each partition's records
     * in their original order (an upsert's later change of a key must stay later).
     * <p>
     * Why: a fanout writer keeps one Parquet writer, with its buffered row group, open per distinct partition value
     * until the batch ends, so a sender choosing the partition values (identity(type), say) could make a batch open
     * thousands. Written clustered, one partition's writer is open at a time, whatever the events say; the cost is one
     * pass to group the records the batch holds anyway. A commit still gets at least one file per distinct partition
     * value, which compaction merges later.
     */
    static int[] clustered(Table table, List<Record> records) {
        int[] order = new int[records.size()];
        if (table.spec().isUnpartitioned()) {
            Arrays.setAll(order, i -> i);
            return order;
        }
        PartitionKey key = new PartitionKey(table.spec(), table.schema());
        InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
        Map<PartitionKey, List<Integer>> partitions = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            key.partition(wrapper.wrap(records.get(i)));
            List<Integer> members = partitions.get(key);
            if (members == null) {
                members = new ArrayList<>();
                partitions.put(key.copy(), members);
            }
            members.add(i);
        }
        int at = 0;
        for (List<Integer> members : partitions.values()) {
            for (int i : members) {
                order[at++] = i;
            }
        }
        return order;
    }

    /**
     * Iceberg's clustered writer: it closes a partition's file when the next partition starts, and fails if a closed
     * partition comes back, which {@link #clustered} rules out.
     */
    private static final class PartitionedRecordWriter extends PartitionedWriter<Record> {

        private final PartitionKey key;
        private final InternalRecordWrapper wrapper;

        PartitionedRecordWriter(Table table, FileFormat format, FileWriterFactory<Record> writers,
                OutputFileFactory files, long target) {
            super(table.spec(), format, writers, files, table.io(), target);
            PartitionSpec spec = table.spec();
            this.key = new PartitionKey(spec, table.schema());
            this.wrapper = new InternalRecordWrapper(table.schema().asStruct());
        }

        @Override
        protected PartitionKey partition(Record row) {
            key.partition(wrapper.wrap(row));
            return key;
        }
    }

    /**
     * Hadoop's local file system reports a failed write (a full disk, a failing device) as {@link FSError}, an Error;
     * to a writer and a committer it is an I/O failure like any other, to be cleaned up, reconciled and retried as one.
     */
    static UncheckedIOException ioFailure(FSError e) {
        return new UncheckedIOException(e.getMessage(),
                e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e));
    }

    static void delete(FileIO io, List<? extends ContentFile<?>> files) {
        for (ContentFile<?> file : files) {
            try {
                io.deleteFile(file.location());
            } catch (RuntimeException e) {
                // an orphan file is harmless; Iceberg's remove-orphan-files maintenance collects it
            }
        }
    }
}
