package dev.floe.camel.iceberg;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Hands each exchange (a List of CloudEvents or rows) to its table's commit lane and completes the exchange when the
 * commit that holds it has succeeded or finally failed.
 */
public class IcebergProducer extends DefaultAsyncProducer {

    // Touched only from each table's own lane thread.
    private final Map<TableIdentifier, TableWriter> writers = new ConcurrentHashMap<>();

    public IcebergProducer(IcebergEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public IcebergEndpoint getEndpoint() {
        return (IcebergEndpoint) super.getEndpoint();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        TableIdentifier table;
        List<?> rows;
        String batchId;
        try {
            Message in = exchange.getIn();
            String override = in.getHeader(IcebergConstants.TABLE, String.class);
            table = override != null ? TableNames.parse(override) : getEndpoint().getTableIdentifier();
            rows = in.getMandatoryBody(List.class);
            batchId = in.getHeader(IcebergConstants.BATCH_ID, exchange.getExchangeId(), String.class);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        try {
            getEndpoint().getComponent().lanes().submit(table, () -> write(exchange, callback, table, rows, batchId));
        } catch (RejectedExecutionException e) {
            exchange.setException(new IcebergWriteException(table, batchId, "queue", e));
            callback.done(true);
            return true;
        }
        return false;
    }

    private void write(Exchange exchange, AsyncCallback callback, TableIdentifier table, List<?> rows, String batchId) {
        try {
            long started = System.nanoTime();
            BatchResult result = writers.computeIfAbsent(table, t -> new TableWriter(getEndpoint(), t))
                    .append(batchId, rows);
            Message out = exchange.getMessage();
            out.setHeader(IcebergConstants.SNAPSHOT_ID, result.snapshotId());
            out.setHeader(IcebergConstants.RECORD_COUNT, result.recordCount());
            out.setHeader(IcebergConstants.DATA_FILES, result.dataFiles());
            out.setHeader(IcebergConstants.DATA_FILE_BYTES, result.dataFileBytes());
            out.setHeader(IcebergConstants.COMMIT_DURATION, (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            callback.done(false);
        }
    }
}
