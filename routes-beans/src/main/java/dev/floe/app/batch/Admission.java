package dev.floe.app.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.floe.app.FloeConfig;
import dev.floe.app.FloeMetrics;
import dev.floe.app.routing.TableBatch;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The one memory budget for everything admitted and not yet acknowledged, across every source: at most
 * {@code floe.max-pending-events} events and {@code floe.max-pending-bytes} input bytes. Admits the exchange's events
 * (its body: a List of events, or of {@link TableBatch}es) and gives them {@link CommitTicket}s; refuses them all with
 * {@link TooManyPendingException} past the budget.
 * <p>
 * HTTP is refused at once (the client gets a 429 and retries), and its events stop counting when their commit ends. A
 * broker's consumer calls {@link #admitWaiting} instead: its thread waits for room, and while it waits the broker stops
 * sending it more, which is the backpressure a queue wants (refusing at once would hand the message back and have it
 * delivered again immediately, a busy loop for as long as Floe is full). Its events count until the source has
 * settled them ({@link #free}), since the messages stay in memory until then. Kafka takes a {@link Reservation} per
 * poll ({@link #reservePrefix}) before reading it, parted among the poll's batches and held until each settles, so a
 * replay never adds to what older batches hold.
 */
@ApplicationScoped
@Named("admission")
public class Admission implements Processor {

    /** How long a broker's consumer thread waits for room before the message is handed back. */
    static final long ROOM_MAX_WAIT_MS = 30_000;

    private PendingBudget budget;

    @Inject
    FloeConfig config;
    @Inject
    FloeMetrics metrics;

    @PostConstruct
    void init() {
        budget = new PendingBudget(config.maxPendingEvents(), config.maxPendingBytes());
        metrics.pendingEvents(budget::events);
        metrics.pendingBytes(budget::bytes);
    }

    /** HTTP: admits the exchange's events, or refuses them at once past the budget. */
    @Override
    public void process(Exchange exchange) {
        admit(exchange, false);
    }

    /**
     * A broker's consumer: waits for room (at most {@link #ROOM_MAX_WAIT_MS}), then admits the exchange's events; they
     * count until the source calls {@link #free} for their tickets.
     */
    public void admitWaiting(Exchange exchange) {
        admit(exchange, true);
    }

    /** Events of a ticket issued by {@link #admitWaiting} that the source has settled. */
    public void free(CommitTicket ticket) {
        budget.free(ticket.events(), ticket.bytes());
    }

    /**
     * Kafka's polling thread, before a poll's records are read: waits for room for the first record (at most
     * {@code maxWaitMs} and only while {@code giveUp} says no), then takes room for as many records, in order, as fit.
     *
     * @param sizes each record's bytes
     * @return the room taken (its {@link Reservation#events()} records, from the first), or null when none came
     */
    public Reservation reservePrefix(long[] sizes, long maxWaitMs, BooleanSupplier giveUp) {
        try {
            int taken = budget.reservePrefix(sizes, maxWaitMs, giveUp);
            if (taken == 0) {
                return null;
            }
            long bytes = 0;
            for (int i = 0; i < taken; i++) {
                bytes += sizes[i];
            }
            return new Reservation(budget, taken, bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void admit(Exchange exchange, boolean waiting) {
        List<?> body = exchange.getIn().getBody(List.class);
        if (body.isEmpty()) {
            // nothing to write (an empty batch): nothing to wait for
            exchange.setProperty(CommitTicket.ALL, List.of());
            return;
        }
        List<TableBatch> parts = body.stream().filter(TableBatch.class::isInstance).map(TableBatch.class::cast)
                .toList();
        int events = parts.isEmpty() ? body.size() : parts.stream().mapToInt(p -> p.events().size()).sum();
        long bytes = exchange.getProperty(EventBatchAggregation.INPUT_BYTES, 0L, Long.class);
        if (events > 0) {
            reserve(events, bytes, waiting);
        }
        boolean freeOnCommit = !waiting;
        List<CommitTicket> tickets = new ArrayList<>();
        if (parts.isEmpty()) {
            tickets.add(ticket(exchange, events, bytes, freeOnCommit));
            exchange.setProperty(CommitTicket.PROPERTY, tickets.get(0));
        } else {
            // one ticket per table: the request is acknowledged when every table holding its events has committed;
            // each holds its share of the request's bytes, the first one the remainder
            long left = bytes;
            for (int i = parts.size() - 1; i >= 0; i--) {
                TableBatch part = parts.get(i);
                long share = i == 0 ? left : bytes * part.events().size() / Math.max(1, events);
                left -= share;
                part.ticket(ticket(exchange, part.events().size(), share, freeOnCommit));
            }
            parts.forEach(p -> tickets.add(p.ticket()));
        }
        exchange.setProperty(CommitTicket.ALL, tickets);
        metrics.received(exchange.getFromRouteId(), events);
    }

    private void reserve(int events, long bytes, boolean waiting) {
        if (!waiting) {
            if (!budget.tryReserve(events, bytes)) {
                throw new TooManyPendingException(full() + "; retry later");
            }
            return;
        }
        try {
            if (!budget.reserveWaiting(events, bytes, ROOM_MAX_WAIT_MS, () -> false)) {
                throw new TooManyPendingException(full() + " for " + ROOM_MAX_WAIT_MS / 1000 + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TooManyPendingException("interrupted while waiting for room (Floe is stopping)");
        }
    }

    private String full() {
        return "more than " + budget.maxEvents() + " events or " + budget.maxBytes()
                + " bytes are waiting for a commit (floe.max-pending-events, floe.max-pending-bytes)";
    }

    private CommitTicket ticket(Exchange exchange, int events, long bytes, boolean freeOnCommit) {
        CommitTicket ticket = new CommitTicket(exchange.getFromRouteId(), events, bytes);
        if (freeOnCommit) {
            ticket.committed().whenComplete((snapshot, failure) -> budget.free(events, bytes));
        }
        return ticket;
    }
}
