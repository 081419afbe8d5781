package dev.floe.camel.iceberg;

import java.util.List;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * One exchange's batch waiting in its table's lane, since {@code queuedAt} (System.nanoTime), with the source offsets it
 * claims (null when its source has none). Its rows come in a List, or in a {@link StagedBatch} ({@code staged}) that
 * has written some of them already.
 */
record PendingBatch(Exchange exchange, AsyncCallback callback, String batchId, List<?> list, StagedBatch staged,
        SourceOffsets offsets, long queuedAt) {

    PendingBatch(Exchange exchange, AsyncCallback callback, String batchId, List<?> rows, SourceOffsets offsets) {
        this(exchange, callback, batchId, rows, null, offsets, System.nanoTime());
    }

    PendingBatch(Exchange exchange, AsyncCallback callback, String batchId, StagedBatch staged,
            SourceOffsets offsets) {
        this(exchange, callback, batchId, null, staged, offsets, System.nanoTime());
    }

    /** The rows the commit still has to convert and write: a staged batch's held ones (on the lane thread only). */
    List<?> rows() {
        return staged != null ? staged.held : list;
    }

    /** Every row of the batch, written already or not. */
    int size() {
        return staged != null ? staged.size() : list.size();
    }
}
