package dev.floe.app.http;

/** Only POST delivers events (and OPTIONS answers what is allowed). */
public class MethodNotAllowedException extends RuntimeException {

    public MethodNotAllowedException(String method) {
        super("method " + method + " is not allowed: POST CloudEvents to /");
    }
}
