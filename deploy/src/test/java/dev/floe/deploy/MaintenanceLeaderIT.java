package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Floe processes (the packaged fast-jar) on one data directory: one embedded catalog (SQLite, shared through its
 * busy timeout) and one maintenance lock folder. Only one of them maintains; SIGKILL it, and the other takes over.
 * Both keep taking events meanwhile, and the table holds every acknowledged event once.
 */
class MaintenanceLeaderIT {

    @TempDir
    Path dir;

    @Test
    void oneProcessMaintainsAndTheOtherTakesOverWhenItIsKilled() throws Exception {
        // both on the embedded default in one folder: catalog.db, warehouse/ and cluster/ (the lock) are shared
        Map<String, String> env = Map.of("FLOE_DATA_DIR", dir.toString());
        List<String> fast = List.of("-Dfloe.batch.max-wait-ms=100", "-Dfloe.maintenance.lock-interval-ms=500",
                "-Dfloe.maintenance.stats.interval-ms=500", "-Dfloe.maintenance.expire-snapshots.interval-ms=1000",
                "-Dfloe.maintenance.compact.interval-ms=1000");
        List<String> acknowledged = new ArrayList<>();
        // started together, as a Deployment's pods are
        CompletableFuture<FloeProcess> starting = CompletableFuture
                .supplyAsync(() -> start("maintenance-leader-2.log", env, fast));
        FloeProcess first;
        try {
            first = start("maintenance-leader-1.log", env, fast);
        } catch (RuntimeException e) {
            starting.thenAccept(FloeProcess::close);
            throw e;
        }
        try (first; FloeProcess second = starting.join()) {
            send(first, "one-", 10, acknowledged);
            send(second, "two-", 10, acknowledged);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> leader(first) + leader(second) == 1 && runs(first) + runs(second) > 0);
            FloeProcess leader = leader(first) == 1 ? first : second;
            FloeProcess follower = leader == first ? second : first;
            // the follower does not maintain, however many runs the leader makes meanwhile
            double before = runs(leader);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> runs(follower) == 0 && leader(follower) == 0 && leader(leader) == 1);
            assertThat(runs(leader)).as("the leader maintains").isGreaterThan(before);

            leader.process.destroyForcibly(); // SIGKILL: no chance to hand the lock over
            assertThat(leader.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofSeconds(30)).until(() -> leader(follower) == 1 && runs(follower) > 0);
            send(follower, "three-", 10, acknowledged);
            // acknowledged means committed: no need to wait for a graceful stop, which right after a takeover waits
            // for the hand-over of the routes (README "Table maintenance"; GracefulShutdownIT covers SIGTERM)
            follower.process.destroyForcibly();
        }
        List<String> ids = new ProcessTable(dir).ids();
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(acknowledged);
    }

    private FloeProcess start(String log, Map<String, String> env, List<String> properties) {
        try {
            return FloeProcess.start(dir, log, env, properties);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(FloeProcess floe, String prefix, int n, List<String> acknowledged) throws Exception {
        for (String id : ProcessTable.numbered(prefix, n)) {
            HttpResponse<String> response = FloeProcess.HTTP.send(FloeProcess.binaryEvent(floe.events(), id).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("event %s", id).isEqualTo(204);
            acknowledged.add(id);
        }
    }

    private static double leader(FloeProcess floe) {
        return floe.metric("floe_maintenance_leader", "");
    }

    /** The process' maintenance runs, of every task and table, whatever their outcome. */
    private static double runs(FloeProcess floe) {
        Matcher m = Pattern.compile("(?m)^floe_maintenance_runs_total\\{[^}]*} ([0-9.E+-]+)")
                .matcher(FloeProcess.get(floe.management("/q/metrics")));
        double runs = 0;
        while (m.find()) {
            runs += Double.parseDouble(m.group(1));
        }
        return runs;
    }
}
