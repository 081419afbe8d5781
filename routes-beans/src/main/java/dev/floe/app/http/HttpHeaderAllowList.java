package dev.floe.app.http;

import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Lets only CloudEvents headers, the body's own headers and the trace context into a route, and only response headers Floe means to
 * send out of it. Anything else, such as a Camel* header a client could use to steer the route, is dropped.
 */
@ApplicationScoped
@Named("httpHeaderAllowList")
public class HttpHeaderAllowList implements HeaderFilterStrategy {

    // W3C Trace Context too, so a trace that reaches Floe (through a Knative Broker, say) continues in it
    // Authorization is read and removed by the route's first step (ingestAuthentication)
    private static final Set<String> INBOUND = Set.of("content-type", "content-length", "traceparent", "tracestate",
            "authorization");
    private static final Set<String> OUTBOUND = Set.of("content-type", "content-length", "retry-after", "allow",
            "www-authenticate");

    /** Returns true to drop a header sent by the client. */
    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !(INBOUND.contains(lower) || lower.startsWith("ce-"));
    }

    /** Returns true to keep a header of the route out of the response. */
    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !(OUTBOUND.contains(lower) || lower.startsWith("floe-"));
    }
}
