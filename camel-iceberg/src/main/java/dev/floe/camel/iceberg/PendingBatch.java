package dev.floe.camel.iceberg;

import java.util.List;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * One exchange's batch waiting in its table's lane, since {@code queuedAt} (System.nanoTime), with the source offsets it
 * claims (null when its source has none).
 */
record PendingBatch(Exchange exchange, AsyncCallback callback, String batchId, List<?> rows, SourceOffsets offsets,
        long queuedAt) {

    PendingBatch(Exchange exchange, AsyncCallback callback, String batchId, List<?> rows, SourceOffsets offsets) {
        this(exchange, callback, batchId, rows, offsets, System.nanoTime());
    }
}
