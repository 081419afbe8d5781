package dev.floe.app.maintenance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Records what each maintenance run reports (the iceberg: operation's body, a map of figures) as metrics tagged by
 * table and task: runs by outcome, the time and outcome of the last run, the table's health figures from
 * {@code stats}, and what expiry, compaction and orphan cleanup removed. Names are in the README, "Table maintenance".
 */
@ApplicationScoped
@Named("maintenanceMetrics")
public class MaintenanceMetrics implements Processor {

    /** The outcome recorded when the operation failed with an exception (the others come from the body). */
    public static final String FAILED = "failed";

    /** stats figure -> gauge name and unit. */
    private static final Map<String, String[]> STATS = Map.of(
            "snapshots", new String[]{"floe.table.snapshots", null},
            "dataFiles", new String[]{"floe.table.data.files", null},
            "deleteFiles", new String[]{"floe.table.delete.files", null},
            "records", new String[]{"floe.table.records", null},
            "manifests", new String[]{"floe.table.manifests", null},
            "averageDataFileBytes", new String[]{"floe.table.average.data.file.size", "bytes"},
            "metadataFileBytes", new String[]{"floe.table.metadata.file.size", "bytes"});

    /** figure of a maintenance operation -> counter name (tagged by table and task). */
    private static final Map<String, String> FIGURES = Map.of(
            "expiredSnapshots", "floe.maintenance.expired.snapshots",
            "deletedFiles", "floe.maintenance.deleted.files",
            "deletedMetadataFiles", "floe.maintenance.deleted.metadata.files",
            "rewrittenDataFiles", "floe.maintenance.rewritten.data.files",
            "addedDataFiles", "floe.maintenance.added.data.files",
            "removedDeleteFiles", "floe.maintenance.removed.delete.files",
            "orphanFiles", "floe.maintenance.orphan.files");

    @Inject
    MeterRegistry registry;

    @Inject
    MaintenanceLeadership leadership;

    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    void registerLeader(@Observes StartupEvent started) {
        Gauge.builder("floe.maintenance.leader", leadership, l -> l.leader() ? 1 : 0)
                .description("1 while this replica runs the maintenance routes (holds the master: leadership)")
                .register(registry);
    }

    @Override
    public void process(Exchange exchange) {
        Map<?, ?> figures = exchange.getIn().getBody(Map.class);
        if (figures == null) {
            return;
        }
        String table = String.valueOf(figures.get("table") != null
                ? figures.get("table")
                : exchange.getIn().getHeader(MaintenancePlan.TABLE));
        String task = task(exchange);
        ran(table, task, String.valueOf(figures.get("outcome")));
        figures.forEach((key, value) -> {
            if (!(value instanceof Number number)) {
                return;
            }
            String[] stat = STATS.get(String.valueOf(key));
            if (stat != null && task.equals(MaintenanceTask.STATS.key())) {
                gauge(stat[0] + "|" + table, stat[0], stat[1], Tags.of("table", table)).set(number.longValue());
            }
            String counter = FIGURES.get(String.valueOf(key));
            if (counter != null && number.longValue() > 0) {
                registry.counter(counter, "table", table, "task", task).increment(number.doubleValue());
            }
        });
    }

    /** A run that failed with an exception (the route's doCatch): counted with outcome failed. */
    public void failed(Exchange exchange) {
        String table = exchange.getIn().getHeader(MaintenancePlan.TABLE, String.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ran(String.valueOf(table), task(exchange), FAILED);
        // the next run tries again: one line each time, the stack trace at debug level
        Log.warnf("Maintenance %s of %s failed: %s", task(exchange), table, cause);
        Log.debugf(cause, "Maintenance %s of %s failed", task(exchange), table);
    }

    private void ran(String table, String task, String outcome) {
        registry.counter("floe.maintenance.runs", "table", table, "task", task, "outcome", outcome).increment();
        gauge("floe.maintenance.last.run|" + table + "|" + task, "floe.maintenance.last.run.timestamp", "seconds",
                Tags.of("table", table, "task", task)).set(System.currentTimeMillis() / 1000);
        // one series per outcome seen: 1 for the last one, 0 for the others
        String prefix = "floe.maintenance.last.outcome|" + table + "|" + task + "|";
        gauges.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                value.set(0);
            }
        });
        gauge(prefix + outcome, "floe.maintenance.last.outcome", null,
                Tags.of("table", table, "task", task, "outcome", outcome)).set(1);
    }

    private AtomicLong gauge(String key, String name, String unit, Tags tags) {
        return gauges.computeIfAbsent(key, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::doubleValue).baseUnit(unit).tags(tags).strongReference(true)
                    .register(registry);
            return value;
        });
    }

    private static String task(Exchange exchange) {
        return MaintenanceTask.named(exchange.getIn().getHeader(MaintenancePlan.TASK, String.class)).key();
    }
}
