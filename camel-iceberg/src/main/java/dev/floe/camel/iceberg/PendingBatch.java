package dev.floe.camel.iceberg;

import java.util.List;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/** One exchange's batch waiting in its table's lane, since {@code queuedAt} (System.nanoTime). */
record PendingBatch(Exchange exchange, AsyncCallback callback, String batchId, List<?> rows, long queuedAt) {

    PendingBatch(Exchange exchange, AsyncCallback callback, String batchId, List<?> rows) {
        this(exchange, callback, batchId, rows, System.nanoTime());
    }
}
