package dev.floe.camel.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import io.cloudevents.CloudEvent;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.hadoop.fs.FSError;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Hands each exchange (a List of CloudEvents or rows, or a {@link StagedBatch}) to its table's commit lane and completes
 * the exchange when the commit that holds it has succeeded or finally failed.
 */
public class IcebergProducer extends DefaultAsyncProducer {

    private final Map<TableIdentifier, TableWriter> validators = new ConcurrentHashMap<>();

    private WritableHealthCheckRepository healthCheckRepository;
    private IcebergProducerHealthCheck healthCheck;
    private ExecutorService healthCheckExecutor;

    public IcebergProducer(IcebergEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // optional, as in Camel's own components: the repository exists when camel-health is in use, and its checks
        // run when camel.health.producersEnabled=true
        healthCheckRepository = HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(),
                "producers", WritableHealthCheckRepository.class);
        if (healthCheckRepository != null) {
            healthCheckExecutor = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newSingleThreadExecutor(this, "IcebergHealthCheck");
            healthCheck = new IcebergProducerHealthCheck(getEndpoint(), healthCheckExecutor);
            healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckProducerEnabled());
            healthCheckRepository.addHealthCheck(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthCheckRepository != null && healthCheck != null) {
            healthCheckRepository.removeHealthCheck(healthCheck);
            healthCheck = null;
        }
        if (healthCheckExecutor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(healthCheckExecutor);
            healthCheckExecutor = null;
        }
        super.doStop();
    }

    @Override
    public IcebergEndpoint getEndpoint() {
        return (IcebergEndpoint) super.getEndpoint();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        String operation = getEndpoint().getConfiguration().getOperation();
        if (TableMaintenance.handles(operation)) {
            // on the caller's (a timer route's) thread, never on the commit lane: it must not delay an ingest commit
            try {
                Message in = exchange.getIn();
                in.setBody(new TableMaintenance(getEndpoint()).run(operation, tableOf(in)));
            } catch (RuntimeException e) {
                exchange.setException(e);
            }
            callback.done(true);
            return true;
        }
        TableIdentifier table;
        PendingBatch batch;
        try {
            Message in = exchange.getIn();
            table = tableOf(in);
            String batchId = in.getHeader(IcebergConstants.BATCH_ID, exchange.getExchangeId(), String.class);
            if (batchId.isEmpty() || batchId.contains(",")) {
                // the snapshot summary lists the batch ids of a group commit separated by commas
                throw new IllegalArgumentException(
                        "Invalid batch id '" + batchId + "': must be non-empty, without commas");
            }
            SourceOffsets offsets = in.getHeader(IcebergConstants.SOURCE_OFFSETS, SourceOffsets.class);
            if (in.getBody() instanceof StagedBatch staged) {
                // its rows met the limits as they were added
                if (!staged.table().equals(table)) {
                    throw new IllegalArgumentException("A batch staged for table " + staged.table()
                            + " cannot be committed to " + table);
                }
                batch = new PendingBatch(exchange, callback, batchId, staged, offsets);
            } else {
                List<?> rows = flatten(in.getMandatoryBody(List.class));
                requireWithinLimits(rows);
                batch = new PendingBatch(exchange, callback, batchId, rows, offsets);
            }
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if ("validate".equals(getEndpoint().getConfiguration().getOperation())) {
            try {
                if (batch.staged() != null) {
                    throw new IllegalArgumentException("operation=validate takes a List body, not a staged batch");
                }
                // runs on the caller's thread: a quick check against the table's current schema, nothing written
                TableWriter validator = validators.computeIfAbsent(table, t -> new TableWriter(getEndpoint(), t));
                synchronized (validator) {
                    validator.validate(batch.rows());
                }
            } catch (RuntimeException e) {
                exchange.setException(e);
            }
            callback.done(true);
            return true;
        }
        try {
            IcebergConfiguration conf = getEndpoint().getConfiguration();
            getEndpoint().getComponent().lanes().submit(table, batch, conf.getMaxGroupRows(), conf.getCommitLingerMs(),
                    group -> commit(table, group));
        } catch (RejectedExecutionException e) {
            exchange.setException(new IcebergWriteException(table, batch.batchId(), "queue", e));
            callback.done(true);
            return true;
        }
        return false;
    }

    private TableIdentifier tableOf(Message in) {
        String override = in.getHeader(IcebergConstants.TABLE, String.class);
        return override != null ? TableNames.parse(override) : getEndpoint().getTableIdentifier();
    }

    /** Events built by the user's own code meet the same caps as those the readers read: nothing unbounded is kept. */
    private void requireWithinLimits(List<?> rows) {
        CloudEventLimits limits = getEndpoint().getConfiguration().limits();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) instanceof CloudEvent event) {
                limits.requireWithin(event, i);
            }
        }
    }

    /** A List of Lists (Camel's grouped-body aggregation of event lists) is one batch of all their rows. */
    private static List<?> flatten(List<?> body) {
        if (body.stream().noneMatch(List.class::isInstance)) {
            return body;
        }
        List<Object> rows = new ArrayList<>();
        for (Object item : body) {
            if (item instanceof List<?> inner) {
                rows.addAll(inner);
            } else {
                rows.add(item);
            }
        }
        return rows;
    }

    private void commit(TableIdentifier table, List<PendingBatch> group) {
        long started = System.nanoTime();
        TableWriter.Outcome outcome;
        try {
            outcome = getEndpoint().writer(table).append(group);
        } catch (RuntimeException e) {
            group.forEach(b -> fail(b, e));
            getEndpoint().getComponent().activity(table).failed(e);
            return;
        } catch (FSError e) {
            // the local disk failed while the table was loaded, created or evolved: an I/O failure, the lane goes on
            group.forEach(b -> fail(b, new IcebergWriteException(table, b.batchId(), "write",
                    DataFileWriter.ioFailure(e))));
            getEndpoint().getComponent().activity(table).failed(e);
            return;
        } catch (Error e) {
            // a missing class, memory running out: complete every exchange first (the dev console's bookkeeping may
            // fail too), or its source would wait forever
            group.forEach(b -> fail(b, new IcebergWriteException(table, b.batchId(), "write", e)));
            getEndpoint().getComponent().activity(table).failed(e);
            throw e;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        TableActivity activity = getEndpoint().getComponent().activity(table);
        if (outcome.snapshotId() != null) {
            activity.committed(outcome.snapshotId());
        }
        outcome.failures().values().stream().findFirst().ifPresent(activity::failed);
        for (PendingBatch batch : group) {
            RuntimeException failure = outcome.failures().get(batch);
            if (failure != null) {
                fail(batch, failure);
                continue;
            }
            Message out = batch.exchange().getMessage();
            out.setHeader(IcebergConstants.SNAPSHOT_ID, outcome.snapshotId());
            out.setHeader(IcebergConstants.RECORD_COUNT, (long) outcome.rows().getOrDefault(batch, 0));
            out.setHeader(IcebergConstants.DATA_FILES, outcome.dataFiles());
            out.setHeader(IcebergConstants.DATA_FILE_BYTES, outcome.dataFileBytes());
            out.setHeader(IcebergConstants.COMMIT_DURATION, millis);
            batch.callback().done(false);
        }
    }

    private static void fail(PendingBatch batch, RuntimeException e) {
        batch.exchange().setException(e);
        batch.callback().done(false);
    }
}
