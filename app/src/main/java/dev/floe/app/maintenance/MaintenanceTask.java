package dev.floe.app.maintenance;

import java.util.Arrays;
import java.util.function.Function;

import dev.floe.app.FloeConfig;

/**
 * The maintenance tasks of routes/maintenance.yaml: each has a name (its configuration key and metric tag), an
 * iceberg: operation, and its place in floe.maintenance.* and floe.tables."t".maintenance.*.
 */
public enum MaintenanceTask {

    EXPIRE_SNAPSHOTS("expire-snapshots", "expireSnapshots", FloeConfig.Maintenance::expireSnapshots,
            FloeConfig.TableMaintenance::expireSnapshots), REWRITE_MANIFESTS("rewrite-manifests", "rewriteManifests",
                    FloeConfig.Maintenance::rewriteManifests,
                    FloeConfig.TableMaintenance::rewriteManifests), COMPACT("compact", "compact",
                            FloeConfig.Maintenance::compact,
                            FloeConfig.TableMaintenance::compact), REMOVE_ORPHAN_FILES("remove-orphan-files",
                                    "removeOrphanFiles", FloeConfig.Maintenance::removeOrphanFiles,
                                    FloeConfig.TableMaintenance::removeOrphanFiles), STATS("stats", "stats",
                                            FloeConfig.Maintenance::stats, FloeConfig.TableMaintenance::stats);

    private final String key;
    private final String operation;
    private final Function<FloeConfig.Maintenance, FloeConfig.MaintenanceTask> global;
    private final Function<FloeConfig.TableMaintenance, FloeConfig.TableMaintenanceTask> table;

    MaintenanceTask(String key, String operation, Function<FloeConfig.Maintenance, FloeConfig.MaintenanceTask> global,
            Function<FloeConfig.TableMaintenance, FloeConfig.TableMaintenanceTask> table) {
        this.key = key;
        this.operation = operation;
        this.global = global;
        this.table = table;
    }

    /** As in floe.maintenance.&lt;key&gt;.* and the task tag of the metrics, e.g. expire-snapshots. */
    public String key() {
        return key;
    }

    /** The iceberg: component's operation. */
    public String operation() {
        return operation;
    }

    FloeConfig.MaintenanceTask of(FloeConfig.Maintenance maintenance) {
        return global.apply(maintenance);
    }

    FloeConfig.TableMaintenanceTask of(FloeConfig.TableMaintenance maintenance) {
        return table.apply(maintenance);
    }

    /** The task named by its key (expire-snapshots) or its operation (expireSnapshots). */
    public static MaintenanceTask named(String name) {
        return Arrays.stream(values()).filter(t -> t.key.equals(name) || t.operation.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no maintenance task " + name + "; one of "
                        + Arrays.stream(values()).map(MaintenanceTask::key).toList()));
    }
}
