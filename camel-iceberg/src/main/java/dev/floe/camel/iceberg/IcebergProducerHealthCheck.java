package dev.floe.camel.iceberg;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.util.URISupport;
import org.apache.iceberg.catalog.Catalog;

/**
 * Readiness of an iceberg producer: its catalog answers whether the endpoint's table exists within
 * {@code healthCheckTimeout}. That call needs the same reach and rights as a commit, and no more (a REST catalog may
 * refuse to list namespaces to a writer).
 */
final class IcebergProducerHealthCheck extends AbstractHealthCheck {

    private final IcebergEndpoint endpoint;
    private final ExecutorService executor;
    // a probe that hangs is waited for again, never stacked behind by another
    private CompletableFuture<Boolean> probe;

    /** Producers that write one table through one catalog share an id: they are ready or not together. */
    IcebergProducerHealthCheck(IcebergEndpoint endpoint, ExecutorService executor) {
        super("camel", "producer:iceberg-" + catalogName(endpoint.getConfiguration()) + "-" + endpoint.getTable());
        this.endpoint = endpoint;
        this.executor = executor;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        IcebergConfiguration conf = endpoint.getConfiguration();
        builder.detail("table", endpoint.getTable());
        builder.detail("catalog.name", catalogName(conf));
        Object uri = conf.getCatalogProperties().get("uri");
        if (uri != null && conf.getCatalog() == null) {
            builder.detail("catalog.uri", URISupport.sanitizeUri(String.valueOf(uri)));
        }
        try {
            currentProbe().get(conf.getHealthCheckTimeout(), TimeUnit.MILLISECONDS);
            builder.up();
        } catch (TimeoutException e) {
            builder.message("The Iceberg catalog did not answer within " + conf.getHealthCheckTimeout() + " ms");
            builder.down();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            builder.message("The Iceberg catalog failed: " + cause);
            builder.error(cause);
            builder.down();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.message("Interrupted while waiting for the Iceberg catalog");
            builder.down();
        }
    }

    private static String catalogName(IcebergConfiguration conf) {
        return conf.getCatalog() != null ? conf.getCatalog().name() : conf.getCatalogName();
    }

    private synchronized CompletableFuture<Boolean> currentProbe() {
        if (probe == null || probe.isDone()) {
            probe = CompletableFuture.supplyAsync(() -> {
                Catalog catalog = endpoint.catalog();
                return catalog.tableExists(endpoint.getTableIdentifier());
            }, executor);
        }
        return probe;
    }
}
