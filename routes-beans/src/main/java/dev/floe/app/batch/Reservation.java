package dev.floe.app.batch;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Room taken in the memory budget for one input that its source tracks itself (a Kafka record): released exactly once,
 * by whichever comes first of its batch settling or its exchange ending before it reached a batch.
 */
public final class Reservation {

    private final PendingBudget budget;
    private final long events;
    private final long bytes;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean batched;

    Reservation(PendingBudget budget, long events, long bytes) {
        this.budget = budget;
        this.events = events;
        this.bytes = bytes;
    }

    /** A batch holds the input now: the batch releases it when it settles. */
    public void batched() {
        batched = true;
    }

    public boolean isBatched() {
        return batched;
    }

    /** Carries the room on the input's exchange; released when the exchange ends if no batch took it by then. */
    public void heldBy(Exchange exchange) {
        exchange.setProperty(Reservation.class.getName(), this);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {

            @Override
            public void onDone(Exchange done) {
                if (!isBatched()) {
                    release(); // the input never reached a batch
                }
            }
        });
    }

    public void release() {
        if (released.compareAndSet(false, true)) {
            budget.free(events, bytes);
        }
    }
}
