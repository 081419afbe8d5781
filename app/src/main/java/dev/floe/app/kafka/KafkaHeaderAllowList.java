package dev.floe.app.kafka;

import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Lets only CloudEvents headers ({@code ce_*}), {@code content-type} and the trace context of a record into the route;
 * a dead letter still carries every original header (read from the record itself).
 */
@ApplicationScoped
@Named("kafkaHeaderAllowList")
public class KafkaHeaderAllowList implements HeaderFilterStrategy {

    private static final Set<String> INBOUND = Set.of("content-type", "traceparent", "tracestate");

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !(INBOUND.contains(lower) || lower.startsWith("ce_"));
    }

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return true;
    }
}
