package dev.floe.app.batch;

import java.util.ArrayList;
import java.util.List;

import dev.floe.app.routing.TableBatch;
import jakarta.annotation.PostConstruct;
import java.util.concurrent.atomic.AtomicLong;

import dev.floe.app.FloeConfig;
import dev.floe.app.FloeMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Bounds the events held in memory while they wait for a commit. Admits the exchange's events (its body: a List of
 * events, or of {@link TableBatch}es) and gives them {@link CommitTicket}s; refuses them all with
 * {@link TooManyPendingException} past the limit.
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
        List<?> body = exchange.getIn().getBody(List.class);
        if (body.isEmpty()) {
            // nothing to write (an empty batch): nothing to wait for
            exchange.setProperty(CommitTicket.ALL, List.of());
            return;
        }
        List<TableBatch> parts = body.stream().filter(TableBatch.class::isInstance).map(TableBatch.class::cast)
                .toList();
        int events = parts.isEmpty() ? body.size() : parts.stream().mapToInt(p -> p.events().size()).sum();
        long limit = config.maxPendingEvents();
        if (pending.addAndGet(events) > limit && events > 0) {
            pending.addAndGet(-events);
            throw new TooManyPendingException(
                    "more than " + limit + " events are waiting for a commit; retry later");
        }
        List<CommitTicket> tickets = new ArrayList<>();
        if (parts.isEmpty()) {
            tickets.add(ticket(exchange, events));
            exchange.setProperty(CommitTicket.PROPERTY, tickets.get(0));
        } else {
            // one ticket per table: the request is acknowledged when every table holding its events has committed
            for (TableBatch part : parts) {
                part.ticket(ticket(exchange, part.events().size()));
                tickets.add(part.ticket());
            }
        }
        exchange.setProperty(CommitTicket.ALL, tickets);
        metrics.received(exchange.getFromRouteId(), events);
    }

    private CommitTicket ticket(Exchange exchange, int events) {
        CommitTicket ticket = new CommitTicket(exchange.getFromRouteId(), events);
        ticket.committed().whenComplete((snapshot, failure) -> pending.addAndGet(-events));
        return ticket;
    }

    @PostConstruct
    void exposePending() {
        metrics.pendingEvents(pending::get);
    }
}
