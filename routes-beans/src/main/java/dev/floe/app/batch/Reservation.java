package dev.floe.app.batch;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Room taken in the memory budget for inputs that their source tracks itself (a Kafka poll): released exactly once. A
 * poll's room is parted among its batches ({@link #part}); each part is released when its batch settles, and what is
 * left (records skipped or dead-lettered, parts no batch took) when the poll's exchange ends. Released at most once.
 */
public final class Reservation {

    private final PendingBudget budget;
    private long events; // guarded by this
    private long bytes; // guarded by this
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean batched;

    Reservation(PendingBudget budget, long events, long bytes) {
        this.budget = budget;
        this.events = events;
        this.bytes = bytes;
    }

    public synchronized long events() {
        return events;
    }

    /** Moves this much of the room to a reservation of its own. */
    public synchronized Reservation part(long partEvents, long partBytes) {
        if (released.get() || partEvents > events || partBytes > bytes) {
            throw new IllegalStateException("cannot part " + partEvents + " events and " + partBytes
                    + " bytes from a reservation of " + events + " and " + bytes);
        }
        events -= partEvents;
        bytes -= partBytes;
        return new Reservation(budget, partEvents, partBytes);
    }

    /** A batch holds the inputs now: the batch releases the room when it settles. */
    public void batched() {
        batched = true;
    }

    public boolean isBatched() {
        return batched;
    }

    public void release() {
        if (released.compareAndSet(false, true)) {
            synchronized (this) {
                budget.free(events, bytes);
            }
        }
    }
}
