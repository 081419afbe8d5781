package dev.floe.camel.iceberg;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.iceberg.catalog.Catalog;

/**
 * Readiness of an iceberg producer: its catalog answers whether the endpoint's table exists within
 * {@code healthCheckTimeout}. That call needs the same reach and rights as a commit, and no more (a REST catalog may
 * refuse to list namespaces to a writer).
 */
final class IcebergProducerHealthCheck extends AbstractHealthCheck {

    // numbers the checks: each producer has its own, so that stopping one route never removes another's check
    private static final AtomicInteger PRODUCERS = new AtomicInteger();

    private final IcebergEndpoint endpoint;
    private final ExecutorService executor;
    // a probe that hangs is waited for again, never stacked behind by another
    private CompletableFuture<Boolean> probe;

    /**
     * One check per producer, even for producers of one table: Camel's repository tells checks apart by id only, so a
     * shared id let the first route to stop remove the check of another, or leave one that probes through a stopped
     * producer's executor.
     */
    IcebergProducerHealthCheck(IcebergEndpoint endpoint, ExecutorService executor) {
        super("camel", "producer:iceberg-" + catalogName(endpoint.getConfiguration()) + "-" + endpoint.getTable() + "-"
                + PRODUCERS.incrementAndGet());
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
            builder.detail("catalog.uri", shown(String.valueOf(uri)));
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
        } catch (RejectedExecutionException e) {
            builder.message("The producer is stopped");
            builder.down();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.message("Interrupted while waiting for the Iceberg catalog");
            builder.down();
        }
    }

    /**
     * Where the catalog is, without what may follow: JDBC URLs carry passwords in forms Camel's URI sanitizer does
     * not know (;password=, ?user=x;password=), so the detail keeps scheme, host and path only, and no user info.
     */
    static String shown(String uri) {
        int end = uri.length();
        for (char c : new char[]{'?', ';', '#'}) {
            int at = uri.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return uri.substring(0, end).replaceFirst("//[^/@]*@", "//");
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
