package dev.floe.app.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.app.FloeConfig;
import dev.floe.app.FloeMetrics;
import dev.floe.app.batch.BatchFailedException;
import dev.floe.app.batch.TooManyPendingException;
import dev.floe.app.routing.UnroutableEventException;
import dev.floe.app.security.AuthenticationUnavailableException;
import dev.floe.app.security.ForbiddenEventException;
import dev.floe.app.security.UnauthenticatedException;
import dev.floe.camel.iceberg.IncompatibleSchemaException;
import dev.floe.camel.iceberg.cloudevents.EventLimitExceededException;
import dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException;
import dev.floe.camel.iceberg.cloudevents.UnsupportedFormatException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed HTTP exchange into an RFC 9457 problem response: 400 invalid event, 401 no valid bearer token, 403
 * event not allowed for its sender, 405 wrong method, 413 over a limit, 415 unsupported format, 422 does not fit its
 * table, 429 too much pending, 503 commit failed (or token keys unavailable); anything unexpected is a 500 whose detail
 * hides internals.
 */
@ApplicationScoped
@Named("httpProblemResponder")
public class HttpProblemResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(HttpProblemResponder.class);

    @Inject
    ObjectMapper json;
    @Inject
    FloeConfig config;
    @Inject
    FloeMetrics metrics;

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Map<String, Object> problem = new LinkedHashMap<>();
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        int status;
        String reason;
        if (error instanceof InvalidCloudEventException invalid) {
            // over a configured cap: the sender must send less, not something else (README "Limits")
            boolean tooLarge = invalid instanceof EventLimitExceededException;
            status = tooLarge ? 413 : 400;
            reason = tooLarge ? "limit" : "invalid";
            problem.put("title", tooLarge ? "Content Too Large" : "Invalid CloudEvent");
            problem.put("detail", invalid.getMessage());
            List<Map<String, String>> errors = invalid.violations().stream()
                    .map(v -> Map.of("attribute", v.attribute(), "reason", v.reason())).toList();
            problem.put("errors", errors);
        } else if (error instanceof UnauthenticatedException unauthenticated) {
            status = 401;
            reason = "unauthenticated";
            problem.put("title", "Unauthorized");
            problem.put("detail", unauthenticated.getMessage());
            out.setHeader("WWW-Authenticate", unauthenticated.challenge());
        } else if (error instanceof ForbiddenEventException) {
            status = 403;
            reason = "forbidden";
            problem.put("title", "Forbidden");
            problem.put("detail", error.getMessage());
        } else if (error instanceof AuthenticationUnavailableException) {
            status = 503;
            reason = "authentication-unavailable";
            problem.put("title", "Service Unavailable");
            problem.put("detail", "the bearer token cannot be checked now (the issuer's keys are unavailable); retry");
            out.setHeader("Retry-After", config.retryAfterSeconds());
            LOG.warn("Answered 503: {}", error.getMessage());
        } else if (error instanceof UnroutableEventException || error instanceof IncompatibleSchemaException) {
            status = 422;
            reason = error instanceof UnroutableEventException ? "unroutable" : "incompatible-schema";
            problem.put("title", "Unprocessable Content");
            problem.put("detail", error.getMessage());
        } else if (error instanceof UnsupportedFormatException) {
            status = 415;
            reason = "unsupported-format";
            problem.put("title", "Unsupported Media Type");
            problem.put("detail", error.getMessage());
        } else if (error instanceof MethodNotAllowedException) {
            status = 405;
            reason = "method";
            problem.put("title", "Method Not Allowed");
            problem.put("detail", error.getMessage());
            out.setHeader("Allow", "POST, OPTIONS");
        } else if (error instanceof TooManyPendingException) {
            status = 429;
            reason = "too-many-pending";
            problem.put("title", "Too Many Requests");
            problem.put("detail", error.getMessage());
            out.setHeader("Retry-After", config.retryAfterSeconds());
        } else if (error instanceof BatchFailedException) {
            status = 503;
            reason = "commit-failed";
            problem.put("title", "Service Unavailable");
            problem.put("detail", "the events were not stored because the table commit failed; send them again");
            out.setHeader("Retry-After", config.retryAfterSeconds());
            LOG.warn("Answered 503: {}", error.getMessage());
        } else {
            status = 500;
            reason = "internal";
            problem.put("title", "Internal Server Error");
            problem.put("detail", "an unexpected error occurred; nothing from this request was stored");
            LOG.error("Unexpected error on an HTTP request", error);
        }
        problem.put("type", "about:blank");
        problem.put("status", status);
        metrics.rejected(exchange.getFromRouteId(), reason);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
        out.setBody(json.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8));
    }
}
