package dev.floe.app.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.floe.app.BatchedRequests;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

/**
 * routes/maintenance.yaml end to end, on the embedded catalog with the file lock: many small commits come in over
 * HTTP while expiry, manifest rewrites and compaction run on short timers; afterwards the table holds every
 * acknowledged event exactly once, in few snapshots and few data files, and the metrics show the table's figures.
 */
@QuarkusTest
@TestProfile(MaintenanceIT.ShortIntervals.class)
class MaintenanceIT {

    static final String TABLE = "default.events";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Every task on a one-second timer, thresholds low enough for a test's table. */
    public static class ShortIntervals implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    // a fresh catalog: the data files counted are this test's
                    Map.entry("floe.data-dir", "target/maintenance-" + System.nanoTime()),
                    Map.entry("floe.batch.max-wait-ms", "20"),
                    Map.entry("floe.maintenance.enabled", "true"),
                    Map.entry("floe.maintenance.lock-interval-ms", "500"),
                    Map.entry("floe.maintenance.expire-snapshots.interval-ms", "1000"),
                    Map.entry("floe.maintenance.expire-snapshots.options.maxSnapshots", "5"),
                    Map.entry("floe.maintenance.expire-snapshots.options.min-snapshot-age-ms", "500"),
                    Map.entry("floe.maintenance.rewrite-manifests.interval-ms", "1000"),
                    Map.entry("floe.maintenance.rewrite-manifests.options.maxManifests", "3"),
                    Map.entry("floe.maintenance.compact.interval-ms", "1000"),
                    Map.entry("floe.maintenance.compact.options.minInputFiles", "3"),
                    Map.entry("floe.maintenance.stats.interval-ms", "500"));
        }
    }

    @Inject
    Catalog catalog;

    @Test
    void smallCommitsAreCompactedAndExpiredAndEveryEventIsReadOnce() throws Exception {
        BatchedRequests client = new BatchedRequests(18080);
        List<List<String>> requests = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
            requests.add(BatchedRequests.ids("maint-", n));
        }
        // one request at a time: each its own commit, so its own snapshot and data file, while maintenance runs
        List<List<String>> acknowledged = new ArrayList<>();
        for (List<String> request : requests) {
            if (client.send(request, Duration.ofSeconds(30)).join().acknowledged()) {
                acknowledged.add(request);
            }
        }
        assertThat(acknowledged).as("ingest wins every conflict with maintenance").hasSameSizeAs(requests);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(runs("compact", "done")).as("compactions done").isPositive();
            assertThat(runs("expire-snapshots", "done")).as("expiries done").isPositive();
            Table table = catalog.loadTable(TableIdentifier.parse(TABLE));
            int snapshots = 0;
            for (var snapshot : table.snapshots()) {
                snapshots++;
            }
            assertThat(snapshots).as("snapshots left").isLessThanOrEqualTo(5);
            assertThat(Long.parseLong(table.currentSnapshot().summary().get("total-data-files")))
                    .as("data files of 60 commits").isLessThanOrEqualTo(3);
        });

        Map<String, Long> rows = BatchedRequests.rowsPerId(catalog, "maint-");
        assertThat(rows).hasSize(60 * 3);
        assertThat(rows.values()).as("rows per event").containsOnly(1L);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(metric("floe_maintenance_leader", "")).isEqualTo(1);
            assertThat(metric("floe_table_snapshots", "table=\"" + TABLE + "\"")).isBetween(1.0, 5.0);
            assertThat(metric("floe_table_data_files", "table=\"" + TABLE + "\"")).isBetween(1.0, 3.0);
            assertThat(metric("floe_table_records", "table=\"" + TABLE + "\"")).isEqualTo(180);
            assertThat(metric("floe_table_average_data_file_size_bytes", "table=\"" + TABLE + "\"")).isPositive();
            assertThat(metric("floe_table_metadata_file_size_bytes", "table=\"" + TABLE + "\"")).isPositive();
            assertThat(metric("floe_maintenance_last_run_timestamp_seconds",
                    "table=\"" + TABLE + "\",task=\"stats\"")).isGreaterThan(
                            System.currentTimeMillis() / 1000.0 - 60);
            assertThat(metric("floe_maintenance_rewritten_data_files_total",
                    "table=\"" + TABLE + "\",task=\"compact\"")).isGreaterThanOrEqualTo(3);
            assertThat(metric("floe_maintenance_expired_snapshots_total",
                    "table=\"" + TABLE + "\",task=\"expire-snapshots\"")).isPositive();
        });
    }

    private static double runs(String task, String outcome) {
        return metric("floe_maintenance_runs_total",
                "outcome=\"" + outcome + "\",table=\"" + TABLE + "\",task=\"" + task + "\"");
    }

    /** One series of the management port's Prometheus page; 0 when absent. */
    static double metric(String name, String labels) {
        String body;
        try {
            body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:19000/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String series = Pattern.quote(name) + (labels.isEmpty() ? "" : "\\{" + Pattern.quote(labels) + "}");
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.E+-]+)").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
