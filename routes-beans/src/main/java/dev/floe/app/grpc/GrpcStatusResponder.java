package dev.floe.app.grpc;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import dev.floe.app.FloeMetrics;
import dev.floe.app.Rejection;
import dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException;
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
 * RESOURCE_EXHAUSTED past a size limit or the memory budget, UNAVAILABLE when the commit failed (retry), INTERNAL for anything else.
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
        Rejection rejection = Rejection.of(error);
        Code code = code(rejection);
        com.google.rpc.Status.Builder detail = com.google.rpc.Status.newBuilder().setCode(code.getNumber())
                .setMessage(rejection.detail(error));
        if (error instanceof InvalidCloudEventException invalid) {
            BadRequest.Builder violations = BadRequest.newBuilder();
            invalid.violations().forEach(v -> violations.addFieldViolations(
                    BadRequest.FieldViolation.newBuilder().setField(v.attribute()).setDescription(v.reason())));
            detail.addDetails(com.google.protobuf.Any.pack(violations.build()));
        }
        return new Answer(code, rejection.reason(), detail.build());
    }

    /** The gRPC status code of a refusal. */
    public static Code code(Rejection rejection) {
        return switch (rejection) {
            case INVALID, UNSUPPORTED_FORMAT -> Code.INVALID_ARGUMENT;
            case UNAUTHENTICATED -> Code.UNAUTHENTICATED;
            case FORBIDDEN -> Code.PERMISSION_DENIED;
            case UNROUTABLE, INCOMPATIBLE_SCHEMA -> Code.FAILED_PRECONDITION;
            // over a size limit, as over the memory budget: a resource the sender must use less of (HTTP: 413, 429)
            case LIMIT, TOO_MANY_PENDING -> Code.RESOURCE_EXHAUSTED;
            case AUTHENTICATION_UNAVAILABLE, COMMIT_FAILED -> Code.UNAVAILABLE;
            // HTTP only; a gRPC call always names its method
            case METHOD -> Code.UNIMPLEMENTED;
            case INTERNAL -> Code.INTERNAL;
        };
    }
}
