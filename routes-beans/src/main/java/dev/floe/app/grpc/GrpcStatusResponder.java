package dev.floe.app.grpc;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import dev.floe.app.FloeMetrics;
import dev.floe.app.batch.BatchFailedException;
import dev.floe.app.batch.TooManyPendingException;
import dev.floe.app.routing.UnroutableEventException;
import dev.floe.app.security.AuthenticationUnavailableException;
import dev.floe.app.security.ForbiddenEventException;
import dev.floe.app.security.UnauthenticatedException;
import dev.floe.camel.iceberg.IncompatibleSchemaException;
import dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException;
import dev.floe.camel.iceberg.cloudevents.UnsupportedFormatException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed gRPC exchange into the status its call is answered with, as {@code HttpProblemResponder} does for
 * HTTP: INVALID_ARGUMENT for an invalid event (every violation listed in a {@code google.rpc.BadRequest} detail),
 * UNAUTHENTICATED, PERMISSION_DENIED, FAILED_PRECONDITION for an unroutable event or one that does not fit its table,
 * RESOURCE_EXHAUSTED past the memory budget, UNAVAILABLE when the commit failed (retry), INTERNAL for anything else.
 */
@ApplicationScoped
@Named("grpcStatusResponder")
public class GrpcStatusResponder implements Processor {

    /** The exchange property holding the status to answer. */
    public static final String STATUS = "FloeGrpcStatus";

    private static final Logger LOG = LoggerFactory.getLogger(GrpcStatusResponder.class);

    @Inject
    FloeMetrics metrics;

    @Override
    public void process(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Answer answer = answer(error);
        if (answer.code() == Code.INTERNAL) {
            LOG.error("Unexpected error on a gRPC call", error);
        } else if (answer.code() == Code.UNAVAILABLE) {
            LOG.warn("Answered UNAVAILABLE: {}", error.getMessage());
        }
        metrics.rejected(exchange.getFromRouteId(), answer.reason());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        exchange.setProperty(STATUS, answer.status());
    }

    /** The status an exchange ended with: the responder's, or INTERNAL for an exception nothing handled; else null. */
    static StatusRuntimeException statusOf(Exchange exchange) {
        StatusRuntimeException status = exchange.getProperty(STATUS, StatusRuntimeException.class);
        if (status == null && exchange.getException() != null) {
            status = answer(exchange.getException()).status();
        }
        return status;
    }

    record Answer(Code code, String reason, com.google.rpc.Status detail) {

        StatusRuntimeException status() {
            return StatusProto.toStatusRuntimeException(detail);
        }
    }

    static Answer answer(Throwable error) {
        if (error instanceof InvalidCloudEventException invalid) {
            BadRequest.Builder violations = BadRequest.newBuilder();
            invalid.violations().forEach(v -> violations.addFieldViolations(
                    BadRequest.FieldViolation.newBuilder().setField(v.attribute()).setDescription(v.reason())));
            return new Answer(Code.INVALID_ARGUMENT, "invalid", com.google.rpc.Status.newBuilder()
                    .setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(invalid.getMessage())
                    .addDetails(com.google.protobuf.Any.pack(violations.build())).build());
        }
        if (error instanceof UnsupportedFormatException) {
            return simple(Code.INVALID_ARGUMENT, "unsupported-format", error.getMessage());
        }
        if (error instanceof UnauthenticatedException) {
            return simple(Code.UNAUTHENTICATED, "unauthenticated", error.getMessage());
        }
        if (error instanceof ForbiddenEventException) {
            return simple(Code.PERMISSION_DENIED, "forbidden", error.getMessage());
        }
        if (error instanceof AuthenticationUnavailableException) {
            return simple(Code.UNAVAILABLE, "authentication-unavailable",
                    "the bearer token cannot be checked now (the issuer's keys are unavailable); retry");
        }
        if (error instanceof UnroutableEventException) {
            return simple(Code.FAILED_PRECONDITION, "unroutable", error.getMessage());
        }
        if (error instanceof IncompatibleSchemaException) {
            return simple(Code.FAILED_PRECONDITION, "incompatible-schema", error.getMessage());
        }
        if (error instanceof TooManyPendingException) {
            return simple(Code.RESOURCE_EXHAUSTED, "too-many-pending", error.getMessage());
        }
        if (error instanceof BatchFailedException) {
            return simple(Code.UNAVAILABLE, "commit-failed",
                    "the events were not stored because the table commit failed; send them again");
        }
        return simple(Code.INTERNAL, "internal", "an unexpected error occurred; nothing from this call was stored");
    }

    private static Answer simple(Code code, String reason, String message) {
        return new Answer(code, reason,
                com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(String.valueOf(message))
                        .build());
    }
}
