package dev.floe.app.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * Which tables and tasks routes/maintenance.yaml works on: every table Floe's configuration can write, minus what
 * floe.tables."t".maintenance.* switches off; and that this process, alone on its lock, is the leader.
 */
@QuarkusTest
@TestProfile(MaintenanceSwitchesIT.Switches.class)
class MaintenanceSwitchesIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static class Switches implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("floe.data-dir", "target/maintenance-switches-" + System.nanoTime()),
                    Map.entry("floe.maintenance.enabled", "true"),
                    Map.entry("floe.maintenance.lock-interval-ms", "500"),
                    Map.entry("floe.maintenance.expire-snapshots.interval-ms", "300"),
                    Map.entry("floe.maintenance.compact.interval-ms", "300"),
                    Map.entry("floe.maintenance.stats.interval-ms", "300"),
                    // three tables Floe can write: floe.table, a routing rule's, and one with settings
                    Map.entry("floe.routing.rules.\"dev.floe.orders\"", "sales.orders"),
                    Map.entry("floe.tables.\"crm.users\".schema-mode", "envelope"),
                    // ... of which one is not maintained at all, and one is never compacted
                    Map.entry("floe.tables.\"crm.users\".maintenance.enabled", "false"),
                    Map.entry("floe.tables.\"sales.orders\".maintenance.compact.enabled", "false"));
        }
    }

    @Test
    void everyWrittenTableIsMaintainedUnlessSwitchedOff() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = metrics();
            assertThat(value(metrics, "floe_maintenance_leader", "")).isEqualTo(1);
            assertThat(runs(metrics, "default.events", "stats")).isPositive();
            assertThat(runs(metrics, "default.events", "compact")).isPositive();
            assertThat(runs(metrics, "default.events", "expire-snapshots")).isPositive();
            assertThat(runs(metrics, "sales.orders", "stats")).isPositive();
            assertThat(runs(metrics, "sales.orders", "expire-snapshots")).isPositive();
        });
        String metrics = metrics();
        assertThat(runs(metrics, "sales.orders", "compact")).as("compaction switched off for sales.orders").isZero();
        assertThat(metrics).as("crm.users is not maintained").doesNotContain("table=\"crm.users\"");
    }

    /** Runs of a task on a table, whatever their outcome. */
    static double runs(String metrics, String table, String task) {
        Matcher m = Pattern.compile("(?m)^floe_maintenance_runs_total\\{outcome=\"[a-z-]+\",table=\""
                + Pattern.quote(table) + "\",task=\"" + Pattern.quote(task) + "\"} ([0-9.E+-]+)").matcher(metrics);
        double runs = 0;
        while (m.find()) {
            runs += Double.parseDouble(m.group(1));
        }
        return runs;
    }

    static double value(String metrics, String name, String labels) {
        String series = Pattern.quote(name) + (labels.isEmpty() ? "" : "\\{" + Pattern.quote(labels) + "}");
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.E+-]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static String metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:19000/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
