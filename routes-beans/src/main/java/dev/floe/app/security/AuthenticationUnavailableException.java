package dev.floe.app.security;

/** The issuer's keys could not be fetched, so no token can be checked now: 503, the client retries. */
public class AuthenticationUnavailableException extends RuntimeException {

    public AuthenticationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
