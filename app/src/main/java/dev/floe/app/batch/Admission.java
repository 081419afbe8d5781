package dev.floe.app.batch;

import java.util.ArrayList;
import java.util.List;

import dev.floe.app.routing.TableBatch;
import jakarta.annotation.PostConstruct;
import java.util.concurrent.TimeUnit;
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
 * HTTP is refused at once (the client gets a 429 and retries), and its events stop counting when their commit ends. A
 * broker's consumer calls {@link #admitWaiting} instead: its thread waits for room, and while it waits the broker stops
 * sending it more, which is the backpressure a queue wants (refusing at once would hand the message back and have it
 * delivered again immediately, a busy loop for as long as Floe is full). Its events count until the source has
 * settled them ({@link #free}), since the messages stay in memory until then.
 */
@ApplicationScoped
@Named("admission")
public class Admission implements Processor {

    /** How long a broker's consumer thread waits for room before the message is handed back. */
    static final long ROOM_MAX_WAIT_MS = 30_000;
    // waiters look again at least this often, whatever notifications they may have missed
    private static final long RECHECK_MS = 100;

    private final AtomicLong pending = new AtomicLong();
    // notified when the pending count drops below the limit, for the consumer threads in admitWaiting
    private final Object room = new Object();
    private int waiting; // guarded by room

    @Inject
    FloeConfig config;
    @Inject
    FloeMetrics metrics;

    /** HTTP: admits the exchange's events, or refuses them at once past the limit. */
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
        free(ticket.events());
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
        if (events > 0) {
            if (waiting) {
                reserveWaiting(events);
            } else {
                reserve(events);
            }
        }
        boolean freeOnCommit = !waiting;
        List<CommitTicket> tickets = new ArrayList<>();
        if (parts.isEmpty()) {
            tickets.add(ticket(exchange, events, freeOnCommit));
            exchange.setProperty(CommitTicket.PROPERTY, tickets.get(0));
        } else {
            // one ticket per table: the request is acknowledged when every table holding its events has committed
            for (TableBatch part : parts) {
                part.ticket(ticket(exchange, part.events().size(), freeOnCommit));
                tickets.add(part.ticket());
            }
        }
        exchange.setProperty(CommitTicket.ALL, tickets);
        metrics.received(exchange.getFromRouteId(), events);
    }

    private void reserve(int events) {
        long limit = config.maxPendingEvents();
        if (pending.addAndGet(events) > limit) {
            pending.addAndGet(-events);
            throw new TooManyPendingException("more than " + limit + " events are waiting for a commit; retry later");
        }
    }

    private void reserveWaiting(int events) {
        long limit = config.maxPendingEvents();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ROOM_MAX_WAIT_MS);
        synchronized (room) {
            waiting++;
            try {
                while (true) {
                    long now = pending.get();
                    if (now + events <= limit) {
                        if (pending.compareAndSet(now, now + events)) {
                            return;
                        }
                        continue; // HTTP took or gave back room meanwhile
                    }
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        throw new TooManyPendingException("more than " + limit
                                + " events have been waiting for a commit for " + ROOM_MAX_WAIT_MS / 1000 + " s");
                    }
                    room.wait(Math.min(left, RECHECK_MS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TooManyPendingException("interrupted while waiting for room (Floe is stopping)");
            } finally {
                waiting--;
            }
        }
    }

    private void free(int events) {
        long after = pending.addAndGet(-events);
        long limit = config.maxPendingEvents();
        if (after < limit && after + events >= limit) {
            // room again: wake the consumers waiting for it
            synchronized (room) {
                if (waiting > 0) {
                    room.notifyAll();
                }
            }
        }
    }

    private CommitTicket ticket(Exchange exchange, int events, boolean freeOnCommit) {
        CommitTicket ticket = new CommitTicket(exchange.getFromRouteId(), events);
        if (freeOnCommit) {
            ticket.committed().whenComplete((snapshot, failure) -> free(events));
        }
        return ticket;
    }

    @PostConstruct
    void exposePending() {
        metrics.pendingEvents(pending::get);
    }
}
