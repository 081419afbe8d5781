package dev.floe.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Floe's metrics on an in-memory registry, for unit tests outside CDI. */
public final class TestMetrics {

    private TestMetrics() {
    }

    public static FloeMetrics inMemory() {
        FloeMetrics metrics = new FloeMetrics();
        metrics.registry = new SimpleMeterRegistry();
        return metrics;
    }
}
