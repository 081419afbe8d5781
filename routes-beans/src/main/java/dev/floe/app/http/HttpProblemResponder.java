package dev.floe.app.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.app.FloeConfig;
import dev.floe.app.FloeMetrics;
import dev.floe.app.Rejection;
import dev.floe.app.security.UnauthenticatedException;
import dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException;
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
    private static final Map<Integer, String> TITLES = Map.of(400, "Invalid CloudEvent", 401, "Unauthorized", 403,
            "Forbidden", 405, "Method Not Allowed", 413, "Content Too Large", 415, "Unsupported Media Type", 422,
            "Unprocessable Content", 429, "Too Many Requests", 500, "Internal Server Error", 503,
            "Service Unavailable");

    @Inject
    ObjectMapper json;
    @Inject
    FloeConfig config;
    @Inject
    FloeMetrics metrics;

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Rejection rejection = Rejection.of(error);
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        int status = status(rejection);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("title", TITLES.get(status));
        problem.put("detail", rejection.detail(error));
        if (error instanceof InvalidCloudEventException invalid) {
            List<Map<String, String>> errors = invalid.violations().stream()
                    .map(v -> Map.of("attribute", v.attribute(), "reason", v.reason())).toList();
            problem.put("errors", errors);
        }
        if (error instanceof UnauthenticatedException unauthenticated) {
            out.setHeader("WWW-Authenticate", unauthenticated.challenge());
        }
        if (rejection == Rejection.METHOD) {
            out.setHeader("Allow", "POST, OPTIONS");
        }
        if (status == 429 || status == 503) {
            out.setHeader("Retry-After", config.retryAfterSeconds());
        }
        if (rejection == Rejection.INTERNAL) {
            LOG.error("Unexpected error on an HTTP request", error);
        } else if (rejection.serverSide()) {
            LOG.warn("Answered {}: {}", status, error.getMessage());
        }
        problem.put("type", "about:blank");
        problem.put("status", status);
        metrics.rejected(exchange.getFromRouteId(), rejection.reason());
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/problem+json");
        out.setBody(json.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8));
    }

    /** The HTTP status of a refusal. */
    public static int status(Rejection rejection) {
        return switch (rejection) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case METHOD -> 405;
            case LIMIT -> 413;
            case UNSUPPORTED_FORMAT -> 415;
            case UNROUTABLE, INCOMPATIBLE_SCHEMA -> 422;
            case TOO_MANY_PENDING -> 429;
            case INTERNAL -> 500;
            case AUTHENTICATION_UNAVAILABLE, COMMIT_FAILED -> 503;
        };
    }
}
