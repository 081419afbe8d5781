package dev.floe.app.batch;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The one memory budget of the process: events and input bytes admitted from every source and not yet acknowledged,
 * against their two limits. An exchange is admitted when both fit, or when nothing else is held (so one input larger
 * than the whole budget, which the sources' size caps should prevent, still goes through alone instead of waiting
 * forever).
 */
final class PendingBudget {

    // waiters look again at least this often, whatever notifications they may have missed
    private static final long RECHECK_MS = 100;

    private final long maxEvents;
    private final long maxBytes;
    private long events; // guarded by this
    private long bytes; // guarded by this
    private int waiting; // guarded by this

    PendingBudget(long maxEvents, long maxBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /** Takes the room at once, or returns false. */
    synchronized boolean tryReserve(long e, long b) {
        if (!fits(e, b)) {
            return false;
        }
        events += e;
        bytes += b;
        return true;
    }

    /**
     * Waits for room (at most {@code maxWaitMs}, and only while {@code giveUp} says no), then takes it.
     *
     * @return false when no room came in time, or the caller gave up
     */
    synchronized boolean reserveWaiting(long e, long b, long maxWaitMs, BooleanSupplier giveUp)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        waiting++;
        try {
            while (!fits(e, b)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || giveUp.getAsBoolean()) {
                    return false;
                }
                wait(Math.min(left, RECHECK_MS));
            }
            events += e;
            bytes += b;
            return true;
        } finally {
            waiting--;
        }
    }

    /**
     * Waits for room for the first input (at most {@code maxWaitMs}, and only while {@code giveUp} says no), then takes
     * room for as many of the inputs, in order, as fit.
     *
     * @param sizes each input's bytes, one event each
     * @return how many inputs, from the first, got room: 0 when none came in time
     */
    synchronized int reservePrefix(long[] sizes, long maxWaitMs, BooleanSupplier giveUp) throws InterruptedException {
        if (sizes.length == 0 || !reserveWaiting(1, sizes[0], maxWaitMs, giveUp)) {
            return 0;
        }
        int taken = 1;
        while (taken < sizes.length && fits(1, sizes[taken])) {
            events++;
            bytes += sizes[taken];
            taken++;
        }
        return taken;
    }

    synchronized void free(long e, long b) {
        events -= e;
        bytes -= b;
        if (waiting > 0) {
            notifyAll();
        }
    }

    private boolean fits(long e, long b) {
        boolean empty = events == 0 && bytes == 0;
        return empty || events + e <= maxEvents && bytes + b <= maxBytes;
    }

    synchronized long events() {
        return events;
    }

    synchronized long bytes() {
        return bytes;
    }

    long maxEvents() {
        return maxEvents;
    }

    long maxBytes() {
        return maxBytes;
    }
}
