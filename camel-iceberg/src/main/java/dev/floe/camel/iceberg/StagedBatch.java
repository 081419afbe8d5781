package dev.floe.camel.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;

import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import io.cloudevents.CloudEvent;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.TaskWriter;

/**
 * A batch whose rows are written into its table's data files as they join it, on the table's commit lane, rather than
 * held as objects until the commit: the body of an exchange to the iceberg: producer, which then closes the files and
 * commits them like any batch. Open one with {@link IcebergEndpoint#openBatch}, {@link #add} rows to it from one
 * thread at a time (as an aggregation strategy does), send it, and {@link #close} it once its exchange is done,
 * committed or not.
 * <p>
 * Why: a batch of parsed events kept until its commit outlives several young collections, is promoted, and dies in the
 * old generation; on Kafka the collector stopped Floe for close to a third of a run (bench/RESULTS.md). Written as they
 * arrive, the rows become Parquet pages and a batch holds pages, not objects. Rows that cannot be written before the
 * commit (upserts, inferred typed columns, partitioned tables) are held, and the commit writes them as it writes a List
 * body.
 */
public final class StagedBatch {

    private final IcebergEndpoint endpoint;
    private final TableIdentifier table;
    private final Queue<List<?>> arriving = new ConcurrentLinkedQueue<>();
    private volatile int size;
    private volatile boolean closed;

    // the table's lane thread's alone: what the rows have become so far
    final List<Object> held = new ArrayList<>();
    final List<DataFile> files = new ArrayList<>();
    final List<String> keys = new ArrayList<>();
    TaskWriter<Record> open;
    // the schema the open files are written in
    Schema schema;
    // rows the lane has taken into the open file's writer so far, those held back or dropped as duplicates included
    // (volatile for a test's eyes; the lane alone writes it)
    volatile int written;
    IcebergWriteException failure;

    StagedBatch(IcebergEndpoint endpoint, TableIdentifier table) {
        this.endpoint = endpoint;
        this.table = table;
    }

    /**
     * Hands rows (CloudEvents, or rows the table's converter takes) to the table's lane, which writes them while the
     * batch fills.
     *
     * @throws dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException when an event is over the {@code limits}
     *         caps, as the producer refuses a List body: none of these rows is added
     */
    public void add(List<?> rows) {
        if (rows.isEmpty()) {
            return;
        }
        CloudEventLimits limits = endpoint.getConfiguration().limits();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) instanceof CloudEvent event) {
                limits.requireWithin(event, size + i);
            }
        }
        arriving.add(rows);
        size += rows.size();
        try {
            endpoint.getComponent().lanes().stage(table, () -> endpoint.writer(table).stage(this));
        } catch (RejectedExecutionException e) {
            // the lane is stopping: the rows wait in the batch, and its commit writes them or fails it
        }
    }

    /** Rows added so far. */
    public int size() {
        return size;
    }

    /** The batch's exchange is done, committed or not: the lane drops what is still to write. */
    public void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    TableIdentifier table() {
        return table;
    }

    /** The next rows to write, on the lane thread; null when none are waiting. */
    List<?> nextArrived() {
        return arriving.poll();
    }
}
