package dev.floe.app;

import dev.floe.app.batch.BatchFailedException;
import dev.floe.app.batch.TooManyPendingException;
import dev.floe.app.http.MethodNotAllowedException;
import dev.floe.app.routing.UnroutableEventException;
import dev.floe.app.security.AuthenticationUnavailableException;
import dev.floe.app.security.ForbiddenEventException;
import dev.floe.app.security.UnauthenticatedException;
import dev.floe.camel.iceberg.IncompatibleSchemaException;
import dev.floe.camel.iceberg.cloudevents.EventLimitExceededException;
import dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException;
import dev.floe.camel.iceberg.cloudevents.UnsupportedFormatException;

/**
 * Why a request or call was refused, whatever protocol answers it. Each responder (HTTP problem, gRPC status) maps every
 * constant with an exhaustive switch, so one failure can never be a client error on one protocol and a different kind
 * of error on another, and a new kind of refusal does not compile until every protocol answers it.
 */
public enum Rejection {

    /** Not a valid CloudEvent; the violations say why. */
    INVALID("invalid", null),
    /** Over a configured size or count limit: the sender must send less, not something else (README "Limits"). */
    LIMIT("limit", null), UNSUPPORTED_FORMAT("unsupported-format", null), UNAUTHENTICATED("unauthenticated",
            null), FORBIDDEN("forbidden", null), AUTHENTICATION_UNAVAILABLE("authentication-unavailable",
                    "the bearer token cannot be checked now (the issuer's keys are unavailable); retry"), UNROUTABLE(
                            "unroutable",
                            null), INCOMPATIBLE_SCHEMA("incompatible-schema", null), METHOD("method", null),
    /** Past the memory budget (back-pressure): retry later. */
    TOO_MANY_PENDING("too-many-pending", null),
    /** The commit that held the events failed: nothing was stored, send them again. */
    COMMIT_FAILED("commit-failed", "the events were not stored because the table commit failed; send them again"),
    /** Anything unexpected; its detail hides internals. */
    INTERNAL("internal", "an unexpected error occurred; nothing that was sent was stored");

    private final String reason;
    private final String fixedDetail;

    Rejection(String reason, String fixedDetail) {
        this.reason = reason;
        this.fixedDetail = fixedDetail;
    }

    /** The kind of refusal an error is. */
    public static Rejection of(Throwable error) {
        if (error instanceof EventLimitExceededException) {
            return LIMIT;
        }
        if (error instanceof InvalidCloudEventException) {
            return INVALID;
        }
        if (error instanceof UnsupportedFormatException) {
            return UNSUPPORTED_FORMAT;
        }
        if (error instanceof UnauthenticatedException) {
            return UNAUTHENTICATED;
        }
        if (error instanceof ForbiddenEventException) {
            return FORBIDDEN;
        }
        if (error instanceof AuthenticationUnavailableException) {
            return AUTHENTICATION_UNAVAILABLE;
        }
        if (error instanceof UnroutableEventException) {
            return UNROUTABLE;
        }
        if (error instanceof IncompatibleSchemaException) {
            return INCOMPATIBLE_SCHEMA;
        }
        if (error instanceof MethodNotAllowedException) {
            return METHOD;
        }
        if (error instanceof TooManyPendingException) {
            return TOO_MANY_PENDING;
        }
        if (error instanceof BatchFailedException) {
            return COMMIT_FAILED;
        }
        return INTERNAL;
    }

    /** The reason tag of the floe.events.rejected counter. */
    public String reason() {
        return reason;
    }

    /** What the sender is told: the error's own message, or a fixed text where the message could leak internals. */
    public String detail(Throwable error) {
        return fixedDetail != null || error == null ? String.valueOf(fixedDetail) : String.valueOf(error.getMessage());
    }

    /** Whether the server, not the sender, is at fault: logged, as a client error is not. */
    public boolean serverSide() {
        return this == AUTHENTICATION_UNAVAILABLE || this == COMMIT_FAILED || this == INTERNAL;
    }
}
