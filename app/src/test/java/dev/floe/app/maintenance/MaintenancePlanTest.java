package dev.floe.app.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import dev.floe.app.FloeConfig;
import dev.floe.app.routing.TableRouter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

class MaintenancePlanTest {

    private static MaintenancePlan plan(Map<String, String> properties) throws Exception {
        FloeConfig config = new SmallRyeConfigBuilder().withMapping(FloeConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build()
                .getConfigMapping(FloeConfig.class);
        TableRouter router = new TableRouter();
        var field = TableRouter.class.getDeclaredField("config");
        field.setAccessible(true);
        field.set(router, config);
        var init = TableRouter.class.getDeclaredMethod("init");
        init.setAccessible(true);
        init.invoke(router);
        MaintenancePlan plan = new MaintenancePlan();
        plan.config = config;
        plan.tableRouter = router;
        return plan;
    }

    private static Map<String, String> threeTables() {
        Map<String, String> p = new HashMap<>();
        p.put("floe.routing.rules.\"dev.floe.orders\"", "sales.orders");
        p.put("floe.tables.\"crm.users\".schema-mode", "inferred");
        return p;
    }

    @Test
    void everyTableFloeCanWriteIsMaintained() throws Exception {
        MaintenancePlan plan = plan(threeTables());
        assertThat(plan.due("compact")).containsExactly("crm.users", "default.events", "sales.orders");
        assertThat(plan.due("stats")).containsExactly("crm.users", "default.events", "sales.orders");
    }

    @Test
    void switchesGlobalPerTaskPerTableAndPerTableTask() throws Exception {
        Map<String, String> p = threeTables();
        p.put("floe.tables.\"crm.users\".maintenance.enabled", "false");
        p.put("floe.tables.\"sales.orders\".maintenance.compact.enabled", "false");
        p.put("floe.maintenance.remove-orphan-files.enabled", "false");
        p.put("floe.tables.\"sales.orders\".maintenance.remove-orphan-files.enabled", "true");
        MaintenancePlan plan = plan(p);
        assertThat(plan.due("compact")).containsExactly("default.events");
        assertThat(plan.due("expire-snapshots")).containsExactly("default.events", "sales.orders");
        assertThat(plan.due("remove-orphan-files")).containsExactly("sales.orders");

        p.put("floe.maintenance.enabled", "false");
        assertThat(plan(p).due("stats")).isEmpty();
    }

    @Test
    void aTablesIntervalLengthensTheTasks() throws Exception {
        Map<String, String> p = threeTables();
        p.put("floe.tables.\"crm.users\".maintenance.compact.interval-ms", "3600000");
        MaintenancePlan plan = plan(p);
        assertThat(plan.due("compact")).contains("crm.users");
        // the next tick of the task's timer: the other tables are due again, crm.users waits for its hour
        assertThat(plan.due("compact")).containsExactly("default.events", "sales.orders");
    }

    @Test
    void tableOptionsOverTaskOptionsInTheComponentsNames() throws Exception {
        Map<String, String> p = threeTables();
        p.put("floe.maintenance.expire-snapshots.options.maxSnapshots", "100");
        p.put("floe.maintenance.expire-snapshots.options.min-snapshot-age-ms", "1000");
        p.put("floe.tables.\"sales.orders\".maintenance.expire-snapshots.options.max-snapshots", "20");
        p.put("floe.tables.\"sales.orders\".maintenance.compact.options.targetFileSizeBytes", "1 & more");
        MaintenancePlan plan = plan(p);
        assertThat(plan.options("default.events", MaintenanceTask.EXPIRE_SNAPSHOTS))
                .contains("&maxSnapshots=100").contains("&minSnapshotAgeMs=1000");
        assertThat(plan.options("sales.orders", MaintenanceTask.EXPIRE_SNAPSHOTS))
                .contains("&maxSnapshots=20").doesNotContain("maxSnapshots=100");
        // a value that is not plain goes in RAW(), so it cannot add options of its own
        assertThat(plan.options("sales.orders", MaintenanceTask.COMPACT))
                .isEqualTo("&targetFileSizeBytes=RAW(1 & more)");
        assertThat(plan.options("default.events", MaintenanceTask.STATS)).isEmpty();
    }

    @Test
    void tasksAreNamedByKeyOrOperation() {
        assertThat(MaintenanceTask.named("remove-orphan-files")).isEqualTo(MaintenanceTask.REMOVE_ORPHAN_FILES);
        assertThat(MaintenanceTask.named("removeOrphanFiles")).isEqualTo(MaintenanceTask.REMOVE_ORPHAN_FILES);
        assertThatThrownBy(() -> MaintenanceTask.named("vacuum")).hasMessageContaining("expire-snapshots");
    }
}
