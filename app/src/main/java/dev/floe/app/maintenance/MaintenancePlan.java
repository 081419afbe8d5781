package dev.floe.app.maintenance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import dev.floe.app.FloeConfig;
import dev.floe.app.routing.TableRouter;
import dev.floe.camel.iceberg.TableNames;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * Which tables a maintenance route works on, and with which options (routes/maintenance.yaml). The tables are those
 * Floe's configuration can write (floe.table, the routing rules' tables, the floe.tables.* keys): a table some other
 * writer owns is its owner's to maintain. Each table's options are floe.maintenance.&lt;task&gt;.options.* overlaid with
 * floe.tables."t".maintenance.&lt;task&gt;.options.*, the way {@link TableRouter} turns floe.tables.* into endpoint
 * options.
 */
@ApplicationScoped
@Named("maintenancePlan")
public class MaintenancePlan {

    /** The task of a maintenance route (its key, e.g. compact), set by the route. */
    public static final String TASK = "FloeMaintenanceTask";
    /** The table one maintenance exchange works on. */
    public static final String TABLE = "FloeMaintenanceTable";
    /** That table's endpoint options for the task, as {@code &name=value...} (empty: the component's defaults). */
    public static final String OPTIONS = "FloeMaintenanceOptions";

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]*");

    @Inject
    FloeConfig config;

    @Inject
    TableRouter tableRouter;

    // table/task -> when it was last due (ms), for per-table intervals longer than the task's timer
    private final Map<String, Long> lastDue = new ConcurrentHashMap<>();

    /**
     * Resolves every maintenance endpoint at start-up, as TableRouter does for the ingest endpoints: a misspelt option
     * fails the start, not a timer run hours later.
     */
    void resolveEndpoints(@Observes StartupEvent started, CamelContext camel) {
        if (!config.maintenance().enabled()) {
            return;
        }
        for (MaintenanceTask task : MaintenanceTask.values()) {
            for (String table : tableRouter.tables()) {
                if (enabled(table, task)) {
                    camel.getEndpoint("iceberg:" + table + "?operation=" + task.operation() + options(table, task));
                }
            }
        }
    }

    /** The tables the task should work on now: those it is enabled for and whose own interval has passed. */
    public List<String> due(@Header(TASK) String taskName) {
        MaintenanceTask task = MaintenanceTask.named(taskName);
        long now = System.currentTimeMillis();
        List<String> due = new ArrayList<>();
        for (String table : tableRouter.tables()) {
            if (!enabled(table, task)) {
                continue;
            }
            Optional<Long> interval = tableTask(table, task).flatMap(FloeConfig.TableMaintenanceTask::intervalMs);
            Long last = lastDue.get(table + "/" + task.key());
            // a timer tick comes a little early or late: 1% slack, so a table on the task's own period never skips one
            if (interval.isPresent() && last != null && now - last < interval.get() * 99 / 100) {
                continue;
            }
            lastDue.put(table + "/" + task.key(), now);
            due.add(table);
        }
        return due;
    }

    /** Sets the table (the body, one of {@link #due}) and its endpoint options as headers for the route's toD. */
    public void select(Exchange exchange) {
        String table = exchange.getIn().getBody(String.class);
        MaintenanceTask task = MaintenanceTask.named(exchange.getIn().getHeader(TASK, String.class));
        exchange.getIn().setHeader(TABLE, table);
        exchange.getIn().setHeader(OPTIONS, options(table, task));
    }

    boolean enabled(String table, MaintenanceTask task) {
        if (!config.maintenance().enabled()) {
            return false;
        }
        Optional<FloeConfig.TableMaintenance> tableMaintenance = tableSettings(table)
                .map(FloeConfig.TableSettings::maintenance);
        if (tableMaintenance.flatMap(FloeConfig.TableMaintenance::enabled).orElse(true).equals(false)) {
            return false;
        }
        return tableTask(table, task).flatMap(FloeConfig.TableMaintenanceTask::enabled)
                .orElse(task.of(config.maintenance()).enabled());
    }

    /** {@code &name=value} for each option of the task, the table's over the task's; values in RAW() when needed. */
    String options(String table, MaintenanceTask task) {
        Map<String, String> options = new LinkedHashMap<>();
        task.of(config.maintenance()).options().forEach((name, value) -> options.put(camelCase(name), value));
        tableTask(table, task).ifPresent(
                t -> t.options().forEach((name, value) -> options.put(camelCase(name), value)));
        StringBuilder uri = new StringBuilder();
        options.forEach((name, value) -> uri.append('&').append(name).append('=')
                .append(PLAIN.matcher(value).matches() ? value : "RAW(" + value + ")"));
        return uri.toString();
    }

    private Optional<FloeConfig.TableMaintenanceTask> tableTask(String table, MaintenanceTask task) {
        return tableSettings(table).map(settings -> task.of(settings.maintenance()));
    }

    private Optional<FloeConfig.TableSettings> tableSettings(String table) {
        return config.tables().entrySet().stream()
                .filter(e -> TableNames.parse(e.getKey()).toString().equals(table)).map(Map.Entry::getValue)
                .findFirst();
    }

    /** max-snapshots and maxSnapshots both name the option maxSnapshots. */
    static String camelCase(String name) {
        StringBuilder camel = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }
}
