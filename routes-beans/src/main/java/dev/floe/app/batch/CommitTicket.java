package dev.floe.app.batch;

import java.util.concurrent.CompletableFuture;

/**
 * What a source is waiting for: the commit of the batch that holds its events. Completed with the snapshot id, or
 * failed with the reason.
 */
public final class CommitTicket {

    /** Exchange property holding the ticket of a request or message. */
    public static final String PROPERTY = "FloeCommitTicket";
    /** Exchange property holding every ticket of a request (one per table it writes to). */
    public static final String ALL = "FloeCommitTickets";

    private final String route;
    private final int events;
    private final long bytes;
    private final CompletableFuture<Long> committed = new CompletableFuture<>();

    CommitTicket(String route, int events, long bytes) {
        this.bytes = bytes;
        this.route = route;
        this.events = events;
    }

    public String route() {
        return route;
    }

    public int events() {
        return events;
    }

    /** The input bytes this ticket holds in the memory budget. */
    public long bytes() {
        return bytes;
    }

    public CompletableFuture<Long> committed() {
        return committed;
    }
}
