package dev.floe.app.batch;

import java.util.ArrayList;
import java.util.List;

import dev.floe.app.FloeMetrics;
import dev.floe.camel.iceberg.IcebergConstants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Gathers the events of many exchanges into one batch (a List body) for the iceberg: endpoint, and settles every
 * gathered {@link CommitTicket} when the batch exchange completes: committed only on proof (the commit headers report
 * every event), failed otherwise.
 * <p>
 * The route completes a batch on size or bytes with {@code completionPredicate} over {@link #EVENTS} and
 * {@link #BYTES}, and on time with {@code completionInterval}.
 */
@ApplicationScoped
@Named("eventBatches")
public class EventBatchAggregation implements AggregationStrategy {

    /** Exchange property: events in the batch so far. */
    public static final String EVENTS = "FloeBatchEvents";
    /** Exchange property: input bytes in the batch so far. */
    public static final String BYTES = "FloeBatchBytes";
    /** Exchange property set by a source reader: the size of its input, counted into {@link #BYTES}. */
    public static final String INPUT_BYTES = "FloeInputBytes";
    /** Header: the iceberg: endpoint URI (with the table's settings) that commits the batch. */
    public static final String ENDPOINT = "FloeTableEndpoint";
    private static final String TICKETS = "FloeBatchTickets";

    @Inject
    FloeMetrics metrics;

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange batch, Exchange incoming) {
        List<Object> events = incoming.getIn().getBody(List.class);
        CommitTicket ticket = incoming.getProperty(CommitTicket.PROPERTY, CommitTicket.class);
        long bytes = incoming.getProperty(INPUT_BYTES, 0L, Long.class);
        if (batch == null) {
            // the aggregator hands us a copy: make it a batch that carries only what the commit needs
            batch = incoming;
            String table = batch.getIn().getHeader(IcebergConstants.TABLE, String.class);
            String endpoint = batch.getIn().getHeader(ENDPOINT, String.class);
            batch.getIn().removeHeaders("*");
            batch.getIn().setHeader(IcebergConstants.TABLE, table);
            batch.getIn().setHeader(ENDPOINT, endpoint);
            batch.getIn().setBody(new ArrayList<>(events));
            batch.setProperty(TICKETS, new ArrayList<CommitTicket>());
            batch.setProperty(EVENTS, 0);
            batch.setProperty(BYTES, 0L);
            batch.removeProperty(CommitTicket.PROPERTY);
        } else {
            batch.getIn().getBody(List.class).addAll(events);
        }
        if (ticket != null) {
            batch.getProperty(TICKETS, List.class).add(ticket);
        }
        batch.setProperty(EVENTS, batch.getProperty(EVENTS, Integer.class) + events.size());
        batch.setProperty(BYTES, batch.getProperty(BYTES, Long.class) + bytes);
        return batch;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onCompletion(Exchange batch) {
        List<CommitTicket> tickets = batch.getProperty(TICKETS, List.class);
        int events = batch.getProperty(EVENTS, 0, Integer.class);
        String table = batch.getIn().getHeader(IcebergConstants.TABLE, String.class);
        batch.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {

            @Override
            public void onDone(Exchange done) {
                settle(done, tickets == null ? List.of() : tickets, events, table);
            }
        });
    }

    private void settle(Exchange done, List<CommitTicket> tickets, int events, String table) {
        Throwable failure = done.getException() != null
                ? done.getException()
                : done.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Long written = done.getMessage().getHeader(IcebergConstants.RECORD_COUNT, Long.class);
        if (failure == null && (written == null || written != events)) {
            failure = new IllegalStateException("the commit reported " + written + " rows for " + events + " events");
        }
        if (failure != null) {
            metrics.commitFailed(table);
            BatchFailedException error = new BatchFailedException(
                    "the batch for table " + table + " was not committed: " + failure.getMessage(), failure);
            tickets.forEach(t -> t.committed().completeExceptionally(error));
            settled(done, error);
            return;
        }
        Long snapshotId = done.getMessage().getHeader(IcebergConstants.SNAPSHOT_ID, Long.class);
        Long millis = done.getMessage().getHeader(IcebergConstants.COMMIT_DURATION, Long.class);
        metrics.committed(table, events, millis == null ? 0 : millis);
        tickets.forEach(t -> t.committed().complete(snapshotId));
        settled(done, null);
    }

    /** Called once the batch is settled: committed ({@code failure} null) or failed. For sources that track more. */
    protected void settled(Exchange batch, Throwable failure) {
    }
}
