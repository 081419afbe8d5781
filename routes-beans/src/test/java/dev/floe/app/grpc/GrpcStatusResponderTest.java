package dev.floe.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import dev.floe.app.batch.BatchFailedException;
import dev.floe.app.batch.TooManyPendingException;
import dev.floe.app.routing.UnroutableEventException;
import dev.floe.app.security.AuthenticationUnavailableException;
import dev.floe.app.security.ForbiddenEventException;
import dev.floe.app.security.UnauthenticatedException;
import dev.floe.camel.iceberg.IncompatibleSchemaException;
import dev.floe.camel.iceberg.cloudevents.EventLimitExceededException;
import dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException;
import dev.floe.camel.iceberg.cloudevents.Violation;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class GrpcStatusResponderTest {

    private static Status.Code code(Throwable error) {
        return GrpcStatusResponder.answer(error).status().getStatus().getCode();
    }

    @Test
    void anExceptionNothingHandledIsAnsweredToo() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        assertThat(GrpcStatusResponder.statusOf(exchange)).isNull();
        exchange.setException(new TooManyPendingException("full"));
        assertThat(GrpcStatusResponder.statusOf(exchange).getStatus().getCode())
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void everyRefusalHasItsCode() {
        assertThat(code(new InvalidCloudEventException("type", "required attribute is missing")))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        // over a limit is a resource the sender must use less of, as HTTP's 413 says: not an invalid event
        assertThat(code(new EventLimitExceededException("subject", "too long")))
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(code(new UnauthenticatedException("a bearer token is required", false)))
                .isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(code(new ForbiddenEventException("not yours"))).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(code(new UnroutableEventException("no rule"))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(new IncompatibleSchemaException("no fit"))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(new TooManyPendingException("full"))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(code(new BatchFailedException("commit failed", new RuntimeException("catalog down"))))
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(code(new AuthenticationUnavailableException("keys", new RuntimeException())))
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(code(new IllegalStateException("bug"))).isEqualTo(Status.Code.INTERNAL);
    }

    @Test
    void anInvalidEventListsEveryViolation() throws Exception {
        StatusRuntimeException status = GrpcStatusResponder.answer(new InvalidCloudEventException(List.of(
                new Violation("/0/type", "required attribute is missing"),
                new Violation("/1/time", "'x' is not an RFC 3339 timestamp")))).status();
        BadRequest detail = StatusProto.fromThrowable(status).getDetails(0).unpack(BadRequest.class);
        assertThat(detail.getFieldViolationsList()).extracting(BadRequest.FieldViolation::getField)
                .containsExactly("/0/type", "/1/time");
        assertThat(StatusProto.fromThrowable(status).getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
    }

    @Test
    void anUnexpectedErrorDoesNotLeakItsMessage() {
        StatusRuntimeException status = GrpcStatusResponder.answer(new IllegalStateException("secret path")).status();
        assertThat(status.getStatus().getDescription()).doesNotContain("secret");
    }
}
