package dev.floe.camel.iceberg;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends groups of batches to one table: resolve the table, convert each batch's rows, write the data files, commit
 * once. A batch whose rows do not convert fails alone; the others of its group still commit. Used from the table's
 * commit lane only, so it needs no locking.
 */
final class TableWriter {

    private static final Logger LOG = LoggerFactory.getLogger(TableWriter.class);

    private final IcebergEndpoint endpoint;
    private final TableIdentifier id;
    private final BatchCommitter committer;
    private Table table;

    TableWriter(IcebergEndpoint endpoint, TableIdentifier id) {
        this.endpoint = endpoint;
        this.id = id;
        IcebergConfiguration conf = endpoint.getConfiguration();
        this.committer = new BatchCommitter(id, conf.getCommitRetries(), conf.getCommitRetryDelay());
    }

    /** What happened to each batch of a group. */
    record Outcome(Long snapshotId, int dataFiles, long dataFileBytes, Map<PendingBatch, Integer> rows,
            Map<PendingBatch, RuntimeException> failures) {
    }

    Outcome append(List<PendingBatch> group) {
        Map<PendingBatch, Integer> rows = new IdentityHashMap<>();
        Map<PendingBatch, RuntimeException> failures = new IdentityHashMap<>();
        Table current;
        try {
            current = currentTable(group.get(0).batchId());
        } catch (RuntimeException e) {
            group.forEach(b -> failures.put(b, e));
            return new Outcome(null, 0, 0, rows, failures);
        }
        RowConverter converter = new RowConverter(current.schema(), OffsetDateTime.now(ZoneOffset.UTC));
        List<Record> records = new ArrayList<>();
        List<PendingBatch> committing = new ArrayList<>();
        for (PendingBatch batch : group) {
            try {
                List<Record> converted = convert(converter, batch);
                records.addAll(converted);
                rows.put(batch, converted.size());
                committing.add(batch);
            } catch (IcebergWriteException e) {
                failures.put(batch, e);
            }
        }
        if (records.isEmpty()) {
            return new Outcome(null, 0, 0, rows, failures);
        }
        String batchIds = committing.stream().map(PendingBatch::batchId).collect(Collectors.joining(","));
        try {
            List<DataFile> files;
            try {
                files = DataFileWriter.write(current, records, endpoint.getConfiguration().getTargetFileSizeBytes());
            } catch (Exception e) {
                throw new IcebergWriteException(id, batchIds, "write", e);
            }
            long snapshotId = committer.commit(current, batchIds, files);
            long bytes = files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
            LOG.debug("Committed {} batches to {}: {} rows, {} files, snapshot {}", committing.size(), id,
                    records.size(), files.size(), snapshotId);
            return new Outcome(snapshotId, files.size(), bytes, rows, failures);
        } catch (RuntimeException e) {
            committing.forEach(b -> failures.put(b, e));
            return new Outcome(null, 0, 0, rows, failures);
        }
    }

    private Table currentTable(String batchId) {
        try {
            if (table == null) {
                table = TableResolver.loadOrCreate(endpoint.catalog(), id, endpoint.getConfiguration());
            } else {
                // another writer (a replica, an operator) may have committed or evolved the table
                table.refresh();
            }
            return table;
        } catch (IcebergWriteException e) {
            throw e;
        } catch (RuntimeException e) {
            table = null;
            throw new IcebergWriteException(id, batchId, "load", e);
        }
    }

    private List<Record> convert(RowConverter converter, PendingBatch batch) {
        List<?> input = batch.rows();
        List<Record> records = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            try {
                records.add(converter.convert(input.get(i)));
            } catch (RuntimeException e) {
                throw new IcebergWriteException(id, batch.batchId(), "convert",
                        new IllegalArgumentException("row " + i + ": " + e.getMessage(), e));
            }
        }
        return records;
    }
}
