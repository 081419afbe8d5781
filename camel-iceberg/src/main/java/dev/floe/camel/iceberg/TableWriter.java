package dev.floe.camel.iceberg;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends batches to one table: resolve the table, convert the rows, write data files, commit. Used from the table's
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

    BatchResult append(String batchId, List<?> rows) {
        Table current = currentTable(batchId);
        if (rows.isEmpty()) {
            return new BatchResult(null, 0, 0, 0);
        }
        List<Record> records = convert(current, batchId, rows);
        List<DataFile> files;
        try {
            files = DataFileWriter.write(current, records, endpoint.getConfiguration().getTargetFileSizeBytes());
        } catch (Exception e) {
            throw new IcebergWriteException(id, batchId, "write", e);
        }
        long snapshotId = committer.commit(current, batchId, files);
        long bytes = files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
        LOG.debug("Committed batch {} to {}: {} rows, {} files, snapshot {}", batchId, id, records.size(), files.size(),
                snapshotId);
        return new BatchResult(snapshotId, records.size(), files.size(), bytes);
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
        } catch (Exception e) {
            table = null;
            throw new IcebergWriteException(id, batchId, "load", e);
        }
    }

    private List<Record> convert(Table current, String batchId, List<?> rows) {
        RowConverter converter = new RowConverter(current.schema(), OffsetDateTime.now(ZoneOffset.UTC));
        List<Record> records = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            try {
                records.add(converter.convert(rows.get(i)));
            } catch (RuntimeException e) {
                throw new IcebergWriteException(id, batchId, "convert",
                        new IllegalArgumentException("row " + i + ": " + e.getMessage(), e));
            }
        }
        return records;
    }
}
