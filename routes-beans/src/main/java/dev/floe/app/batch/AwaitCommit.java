package dev.floe.app.batch;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.floe.app.CrashPoint;
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
    @SuppressWarnings("unchecked")
    public boolean process(Exchange exchange, AsyncCallback callback) {
        List<CommitTicket> tickets = exchange.getProperty(CommitTicket.ALL, List.class);
        if (tickets == null) {
            exchange.setException(new IllegalStateException(
                    "no commit ticket on the exchange: the route must admit events (process: admission) before aggregating"));
            callback.done(true);
            return true;
        }
        CompletableFuture.allOf(tickets.stream().map(CommitTicket::committed).toArray(CompletableFuture[]::new))
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        exchange.setException(cause instanceof BatchFailedException
                                ? cause
                                : new BatchFailedException("the batch was not committed: " + cause.getMessage(),
                                        cause));
                    } else {
                        // committed, and the client not answered yet
                        CrashPoint.afterTableCommit();
                        // the snapshot of the last table to commit; one table is the common case
                        exchange.getMessage().setHeader(IcebergConstants.SNAPSHOT_ID,
                                tickets.isEmpty() ? null : tickets.get(tickets.size() - 1).committed().join());
                        metrics.accepted(exchange.getFromRouteId(),
                                tickets.stream().mapToInt(CommitTicket::events).sum());
                    }
                    callback.done(false);
                });
        return false;
    }
}
