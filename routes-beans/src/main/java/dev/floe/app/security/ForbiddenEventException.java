package dev.floe.app.security;

/** An authenticated sender sent an event that no floe.authorization grant lets it send: 403, nothing written. */
public class ForbiddenEventException extends RuntimeException {

    public ForbiddenEventException(String message) {
        super(message);
    }
}
