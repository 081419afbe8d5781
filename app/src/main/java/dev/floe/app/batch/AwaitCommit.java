package dev.floe.app.batch;

import java.util.concurrent.CompletionException;

import dev.floe.app.FloeMetrics;
import dev.floe.camel.iceberg.IcebergConstants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * Parks the exchange, without holding a thread, until the batch holding its events has committed; then the route goes
 * on to acknowledge the source. A failed batch fails the exchange with {@link BatchFailedException}.
 */
@ApplicationScoped
@Named("awaitCommit")
public class AwaitCommit extends AsyncProcessorSupport {

    @Inject
    FloeMetrics metrics;

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CommitTicket ticket = exchange.getProperty(CommitTicket.PROPERTY, CommitTicket.class);
        if (ticket == null) {
            exchange.setException(new IllegalStateException(
                    "no commit ticket on the exchange: the route must admit events (process: admission) before aggregating"));
            callback.done(true);
            return true;
        }
        ticket.committed().whenComplete((snapshotId, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                exchange.setException(cause instanceof BatchFailedException
                        ? cause
                        : new BatchFailedException("the batch was not committed: " + cause.getMessage(), cause));
            } else {
                exchange.getMessage().setHeader(IcebergConstants.SNAPSHOT_ID, snapshotId);
                metrics.accepted(ticket.route(), ticket.events());
            }
            callback.done(false);
        });
        return false;
    }
}
