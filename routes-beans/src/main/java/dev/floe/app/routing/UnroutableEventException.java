package dev.floe.app.routing;

/** No routing rule matches the event and unmatched events are rejected. */
public class UnroutableEventException extends RuntimeException {

    public UnroutableEventException(String message) {
        super(message);
    }
}
