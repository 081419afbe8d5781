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
 * <p>
 * HTTP refuses at once (the client gets a 429 and retries). A consumer of a broker first calls
 * {@link #awaitRoom(Exchange)}: while its thread waits, the broker stops sending it more, which is the backpressure
 * a queue wants; refusing at once would hand the message back and have it delivered again immediately, a busy loop
 * for as long as Floe is full.
 */
@ApplicationScoped
@Named("admission")
public class Admission implements Processor {

    /** How long a broker's consumer thread waits for room before it hands the message back. */
    static final long ROOM_MAX_WAIT_MS = 30_000;

    private final AtomicLong pending = new AtomicLong();
    // notified when commits free room, for the consumer threads in awaitRoom
    private final Object room = new Object();

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

    /**
     * Waits until fewer than floe.max-pending-events events wait for commits, at most {@link #ROOM_MAX_WAIT_MS}; then
     * {@link #process} admits the exchange, or refuses it if Floe is still full (its commits are stuck).
     */
    public void awaitRoom() throws InterruptedException {
        long limit = config.maxPendingEvents();
        long deadline = System.currentTimeMillis() + ROOM_MAX_WAIT_MS;
        synchronized (room) {
            for (long left = ROOM_MAX_WAIT_MS; pending.get() >= limit && left > 0; left = deadline
                    - System.currentTimeMillis()) {
                room.wait(left);
            }
        }
    }

    private CommitTicket ticket(Exchange exchange, int events) {
        CommitTicket ticket = new CommitTicket(exchange.getFromRouteId(), events);
        ticket.committed().whenComplete((snapshot, failure) -> {
            pending.addAndGet(-events);
            synchronized (room) {
                room.notifyAll();
            }
        });
        return ticket;
    }

    @PostConstruct
    void exposePending() {
        metrics.pendingEvents(pending::get);
    }
}
