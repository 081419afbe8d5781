package dev.floe.app.batch;

/**
 * More events are waiting for a commit than Floe holds in memory; the source should slow down.
 */
public class TooManyPendingException extends RuntimeException {

    public TooManyPendingException(String message) {
        super(message);
    }
}
