package dev.floe.app.batch;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.floe.app.FloeConfig;
import dev.floe.app.FloeMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Bounds the events held in memory while they wait for a commit. Admits the exchange's events (its body, a List)
 * and gives it a {@link CommitTicket}; refuses them with {@link TooManyPendingException} past the limit.
 */
@ApplicationScoped
@Named("admission")
public class Admission implements Processor {

    private final AtomicLong pending = new AtomicLong();

    @Inject
    FloeConfig config;
    @Inject
    FloeMetrics metrics;

    @Override
    public void process(Exchange exchange) {
        int events = exchange.getIn().getBody(List.class).size();
        long limit = config.maxPendingEvents();
        if (pending.addAndGet(events) > limit && events > 0) {
            pending.addAndGet(-events);
            throw new TooManyPendingException(
                    "more than " + limit + " events are waiting for a commit; retry later");
        }
        CommitTicket ticket = new CommitTicket(exchange.getFromRouteId(), events);
        ticket.committed().whenComplete((snapshot, failure) -> pending.addAndGet(-events));
        exchange.setProperty(CommitTicket.PROPERTY, ticket);
        metrics.received(ticket.route(), events);
    }

    public long pending() {
        return pending.get();
    }
}
