package dev.floe.camel.iceberg;

import java.io.IOException;

import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.BaseTaskWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;

/**
 * Writes upserts and deletes as Iceberg row-level changes: an upsert is an equality delete of the key plus an insert,
 * a delete is the equality delete alone (a key written earlier in the same batch is removed by a position delete).
 * One delta writer per partition, through Iceberg's own BaseEqualityDeltaWriter, open one partition at a time: rows
 * arrive clustered by partition.
 */
final class UpsertWriter extends BaseTaskWriter<Record> {

    private final Schema schema;
    private final Schema keySchema;
    private final PartitionKey partitionKey;
    private final InternalRecordWrapper rowWrapper;
    private final InternalRecordWrapper keyWrapper;
    // one partition's delta writer at a time, whatever the number of partitions in the batch
    private KeyedWriter current;
    private PartitionKey currentPartition;

    UpsertWriter(Table table, FileFormat format, FileWriterFactory<Record> files, OutputFileFactory outputs,
            long target,
            Schema keySchema) {
        super(table.spec(), format, files, outputs, table.io(), target);
        this.schema = table.schema();
        this.keySchema = keySchema;
        this.partitionKey = new PartitionKey(table.spec(), schema);
        this.rowWrapper = new InternalRecordWrapper(schema.asStruct());
        this.keyWrapper = new InternalRecordWrapper(keySchema.asStruct());
    }

    /** Insert, or replace the row with the same key. */
    @Override
    public void write(Record row) throws IOException {
        KeyedWriter writer = writerFor(row);
        writer.deleteKey(key(row));
        writer.write(row);
    }

    void delete(Record row) throws IOException {
        writerFor(row).deleteKey(key(row));
    }

    private KeyedWriter writerFor(Record row) throws IOException {
        if (spec().isUnpartitioned()) {
            if (current == null) {
                current = new KeyedWriter(null);
            }
            return current;
        }
        partitionKey.partition(rowWrapper.wrap(row));
        if (current == null || !partitionKey.equals(currentPartition)) {
            // rows come clustered by partition (DataFileWriter.clustered): the previous partition is complete
            close();
            currentPartition = partitionKey.copy();
            current = new KeyedWriter(currentPartition);
        }
        return current;
    }

    private Record key(Record row) {
        return project(keySchema.asStruct(), row);
    }

    private static Record project(Types.StructType keyType, Record row) {
        GenericRecord key = GenericRecord.create(keyType);
        for (Types.NestedField field : keyType.fields()) {
            Object value = row.getField(field.name());
            if (value instanceof Record nested && field.type().isStructType()) {
                value = project(field.type().asStructType(), nested);
            }
            key.setField(field.name(), value);
        }
        return key;
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            KeyedWriter closing = current;
            current = null;
            currentPartition = null;
            closing.close();
        }
    }

    private final class KeyedWriter extends BaseEqualityDeltaWriter {

        KeyedWriter(StructLike partition) {
            super(partition, schema, keySchema);
        }

        @Override
        protected StructLike asStructLike(Record row) {
            return rowWrapper.wrap(row);
        }

        @Override
        protected StructLike asStructLikeKey(Record key) {
            return keyWrapper.wrap(key);
        }
    }
}
