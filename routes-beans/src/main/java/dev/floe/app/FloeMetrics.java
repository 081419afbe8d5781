package dev.floe.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Floe's own metrics, exposed at /q/metrics on the management port. Names are documented in the README.
 */
@ApplicationScoped
public class FloeMetrics {

    @Inject
    MeterRegistry registry;

    // looked up once per route: the Kafka route counts every record
    private final Map<String, Counter> receivedByRoute = new ConcurrentHashMap<>();

    public void received(String route, int events) {
        receivedByRoute.computeIfAbsent(String.valueOf(route),
                r -> registry.counter("floe.events.received", "route", r)).increment(events);
    }

    public void accepted(String route, int events) {
        registry.counter("floe.events.accepted", "route", String.valueOf(route)).increment(events);
    }

    public void rejected(String route, String reason) {
        registry.counter("floe.events.rejected", "route", String.valueOf(route), "reason", reason).increment();
    }

    public void committed(String table, int events, long millis) {
        registry.counter("floe.batches.committed", "table", String.valueOf(table)).increment();
        DistributionSummary.builder("floe.batch.size").baseUnit("events").tag("table", String.valueOf(table))
                .register(registry).record(events);
        Timer.builder("floe.commit.duration").tag("table", String.valueOf(table)).register(registry)
                .record(millis, TimeUnit.MILLISECONDS);
    }

    public void pendingEvents(Supplier<Number> pending) {
        Gauge.builder("floe.events.pending", pending).register(registry);
    }

    /** Input bytes admitted and not yet acknowledged, across all sources. */
    public void pendingBytes(Supplier<Number> pending) {
        Gauge.builder("floe.pending.bytes", pending).baseUnit("bytes").register(registry);
    }

    public void commitFailed(String table) {
        registry.counter("floe.commit.failures", "table", String.valueOf(table)).increment();
    }

    /** A record or message sent to a dead-letter topic or queue; source is kafka:topic or amqp:queue. */
    public void deadLettered(String source, String reason) {
        registry.counter("floe.dead.letters", "source", String.valueOf(source), "reason", reason).increment();
    }

    /**
     * An AMQP message handed back to the broker, to be delivered again: outcome modified-failed counts against its
     * max-delivery-attempts, released does not.
     */
    public void amqpReturned(String queue, String reason, String outcome) {
        registry.counter("floe.amqp.returned", "queue", String.valueOf(queue), "reason", reason, "outcome", outcome)
                .increment();
    }

    public void kafkaRewound() {
        registry.counter("floe.kafka.rewinds").increment();
    }

    /** Records of a partition past what its tables hold: log end offset minus the lowest uncommitted position. */
    public void kafkaLag(String topic, int partition, Supplier<Number> lag) {
        Gauge.builder("floe.kafka.lag", lag).tag("topic", topic).tag("partition", String.valueOf(partition))
                .strongReference(true).register(registry);
    }

    /** Connections open on the HTTP ingest port. */
    public void httpConnectionsOpen(Supplier<Number> open) {
        Gauge.builder("floe.http.connections.open", open).register(registry);
    }

    /** A connection of the HTTP ingest port closed by Floe: reason limit, idle or request-read-timeout. */
    public void httpConnectionClosed(String reason) {
        registry.counter("floe.http.connections.closed", "reason", reason).increment();
    }
}
