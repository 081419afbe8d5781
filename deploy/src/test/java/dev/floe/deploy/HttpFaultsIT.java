package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.floe.camel.iceberg.IcebergConstants;
import dev.floe.testing.FaultProxy;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP rows of the fault matrix, against the packaged application running as its own process: real faults only
 * (SIGKILL, a halt right after the commit, a REST catalog server stopped, a TCP fault proxy that swallows the commit's
 * response). Clients send each event as its own request and resend what was not acknowledged. Each test ends with the
 * table read back with Iceberg's reader: every acknowledged (2xx) event exactly once, and nothing else.
 */
class HttpFaultsIT {

    static final String ROUTE = "http-to-iceberg";
    /** Five requests make one batch, completed by the fifth (a batch never completes on time here). */
    static final List<String> BATCH_OF_FIVE = List.of("-Dfloe.batch.max-events=5", "-Dfloe.batch.max-wait-ms=600000");
    /** The REST catalog's commit of default.events: a POST to the table's own path (its metrics go to .../metrics). */
    static final String COMMIT_REQUEST = "POST /v1/namespaces/default/tables/events ";

    @TempDir
    Path dir;

    /**
     * SIGKILL mid-batch: five requests are held in a batch that would wait ten minutes, and the process is killed
     * ({@code destroyForcibly}). Every client's connection fails, nothing is in the table; Floe starts again on the
     * same catalog, the clients resend, and each event is in the table once.
     */
    @Test
    void sigkillMidBatchFailsTheHeldRequestsAndTheResendsLandOnce() throws Exception {
        ProcessTable table = new ProcessTable(dir);
        List<String> events = ProcessTable.numbered("held-", 5);
        Clients clients = new Clients();
        try (FloeProcess floe = FloeProcess.start(dir, "http-faults-sigkill-mid-batch-1.log", table.catalogEnv(),
                List.of("-Dfloe.batch.max-wait-ms=600000"))) {
            Map<String, CompletableFuture<HttpResponse<String>>> held = clients.sendAsync(floe.events(), events);
            await().atMost(Duration.ofSeconds(30)).until(() -> floe.received(ROUTE) >= events.size());
            assertThat(held.values()).noneMatch(CompletableFuture::isDone);

            floe.process.destroyForcibly(); // SIGKILL
            assertThat(floe.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertConnectionsFailed(held);
        }
        assertThat(clients.acknowledged).isEmpty();
        assertThat(table.ids()).as("nothing committed before the kill").isEmpty();

        try (FloeProcess again = FloeProcess.start(dir, "http-faults-sigkill-mid-batch-2.log", table.catalogEnv(),
                List.of())) {
            assertThat(statuses(clients.send(again.events(), events))).containsOnly(204);
        }
        assertExactlyOnce(table.ids(), clients, events);
    }

    /**
     * Halt after the commit, before the answer: with FLOE_TEST_CRASH_POINT=after-table-commit the JVM halts (as
     * SIGKILL would) once the batch holding five requests has committed and before any of them is answered. The
     * clients' connections fail although their events are in the table; Floe starts again and the clients resend the
     * same events (same source and id): the dedup window, loaded from the table's recent snapshots, drops them, they
     * are answered 204, and each is in the table once.
     */
    @Test
    void haltAfterTheCommitBeforeTheAnswerAndTheResendsAreDeduplicated() throws Exception {
        ProcessTable table = new ProcessTable(dir);
        List<String> events = ProcessTable.numbered("committed-", 5);
        Clients clients = new Clients();
        Map<String, String> crashing = new HashMap<>(table.catalogEnv());
        crashing.put("FLOE_TEST_CRASH_POINT", "after-table-commit");
        try (FloeProcess floe = FloeProcess.start(dir, "http-faults-halt-after-commit-1.log", crashing,
                BATCH_OF_FIVE)) {
            Map<String, CompletableFuture<HttpResponse<String>>> inFlight = clients.sendAsync(floe.events(), events);
            assertThat(floe.process.waitFor(60, TimeUnit.SECONDS)).as("halted at the crash point").isTrue();
            assertThat(floe.process.exitValue()).isEqualTo(137);
            assertConnectionsFailed(inFlight);
        }
        assertThat(clients.acknowledged).isEmpty();
        assertThat(table.ids()).as("committed before the halt").containsExactlyInAnyOrderElementsOf(events);

        try (FloeProcess again = FloeProcess.start(dir, "http-faults-halt-after-commit-2.log", table.catalogEnv(),
                List.of())) {
            assertThat(statuses(clients.send(again.events(), events))).containsOnly(204);
        }
        assertExactlyOnce(table.ids(), clients, events);
    }

    /**
     * Commit applied, response lost: Floe reaches Iceberg's REST catalog server through a {@link FaultProxy} that lets
     * the commit request of a batch through and swallows its response. The batch is answered 204, one snapshot holds
     * it, every row is there once and every data file is readable.
     */
    @Test
    void restCommitResponseDroppedByTheFaultProxyIsReconciledToOneSnapshot() throws Exception {
        commitResponseLost(0, "http-faults-rest-response-lost.log");
    }

    /**
     * As {@link #restCommitResponseDroppedByTheFaultProxyIsReconciledToOneSnapshot()}, and then the proxy resets every
     * connection to the catalog for 5 s, so the reads that settle the commit's outcome fail too: still answered 204,
     * one snapshot, every row once.
     */
    @Test
    void restCommitResponseDroppedThenTheCatalogResetFor5sIsReconciledToOneSnapshot() throws Exception {
        commitResponseLost(5_000, "http-faults-rest-response-lost-reset.log");
    }

    private void commitResponseLost(long thenResetMillis, String log) throws Exception {
        Clients clients = new Clients();
        List<String> warm = ProcessTable.numbered("warm-", 5);
        List<String> events = ProcessTable.numbered("lost-", 5);
        try (ProcessRestCatalog catalog = ProcessRestCatalog.start(dir);
                FaultProxy proxy = FaultProxy.start(catalog.port());
                FloeProcess floe = FloeProcess.start(dir, log, ProcessRestCatalog.floeEnv(proxy.port()),
                        BATCH_OF_FIVE)) {
            // the table exists and has a snapshot before the fault
            assertThat(statuses(clients.send(floe.events(), warm))).containsOnly(204);
            List<Snapshot> before = catalog.snapshots();

            proxy.dropNextResponseTo(COMMIT_REQUEST, thenResetMillis);
            assertThat(statuses(clients.send(floe.events(), events))).containsOnly(204);

            assertThat(proxy.droppedResponses()).as("the commit's response was swallowed").isEqualTo(1);
            List<Snapshot> after = catalog.snapshots();
            assertThat(after).as("one snapshot holds the batch").hasSize(before.size() + 1);
            assertThat(after.get(after.size() - 1).summary()).containsEntry("added-records", "5");
            assertThat(after).extracting(s -> s.summary().get(IcebergConstants.SUMMARY_BATCH_ID))
                    .as("no batch committed twice").doesNotHaveDuplicates();
            // reading every row opens every data file: a deleted file fails the read
            assertExactlyOnce(catalog.ids(), clients, concat(warm, events));
        }
    }

    /**
     * Catalog down: Iceberg's REST catalog server is stopped for about 20 s. Every request in that time is answered 503
     * with Retry-After and nothing is written; the client resends as Retry-After asks. The server starts again (same
     * SQLite file, same port), the resends are answered 204 and each event is in the table once. The outage lasts 20 s
     * so the suite stays fast; {@code bench/catalog-outage.sh} runs it for 2 minutes (system property
     * {@code floe.fault.outage-seconds}).
     */
    @Test
    void restCatalogServerStoppedAnswers503WithRetryAfterAndTheResendsLandOnce() throws Exception {
        Duration outage = Duration.ofSeconds(Long.getLong("floe.fault.outage-seconds", 20));
        Duration retryAfter = Duration.ofSeconds(1); // floe.retry-after-seconds
        Clients clients = new Clients();
        List<String> warm = ProcessTable.numbered("warm-", 5);
        List<String> events = ProcessTable.numbered("down-", 5);
        try (ProcessRestCatalog catalog = ProcessRestCatalog.start(dir);
                FloeProcess floe = FloeProcess.start(dir, "http-faults-rest-catalog-down.log",
                        ProcessRestCatalog.floeEnv(catalog.port()), List.of())) {
            assertThat(statuses(clients.send(floe.events(), warm))).containsOnly(204);

            catalog.stopServer();
            List<HttpResponse<String>> refused = new CopyOnWriteArrayList<>();
            await().during(outage).atMost(outage.plusSeconds(30)).pollInterval(retryAfter).until(() -> {
                List<HttpResponse<String>> answers = List.copyOf(clients.send(floe.events(), events).values());
                refused.addAll(answers);
                return answers.stream().allMatch(r -> r.statusCode() == 503);
            });
            assertThat(refused).isNotEmpty().allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).hasValue(String.valueOf(retryAfter.toSeconds()));
            });
            assertThat(clients.acknowledged).containsExactlyInAnyOrderElementsOf(warm);

            catalog.startServer();
            assertThat(catalog.ids()).as("nothing written during the outage").containsExactlyInAnyOrderElementsOf(warm);
            await().atMost(Duration.ofSeconds(60)).pollInterval(retryAfter).until(() -> {
                clients.send(floe.events(), events.stream().filter(id -> !clients.acknowledged.contains(id)).toList());
                return clients.acknowledged.containsAll(events);
            });
            assertExactlyOnce(catalog.ids(), clients, concat(warm, events));
        }
    }

    /** Every acknowledged event exactly once and nothing else; here every event sent was acknowledged in the end. */
    private static void assertExactlyOnce(List<String> tableIds, Clients clients, List<String> sent) {
        assertThat(clients.acknowledged).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(tableIds).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(clients.acknowledged);
    }

    /** Each request's connection failed: no answer at all, so no 2xx. */
    private static void assertConnectionsFailed(Map<String, CompletableFuture<HttpResponse<String>>> requests) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> requests.values().stream().allMatch(CompletableFuture::isDone));
        assertThat(requests.values()).allSatisfy(r -> assertThat(r).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IOException.class));
    }

    private static List<Integer> statuses(Map<String, HttpResponse<String>> answers) {
        return answers.values().stream().map(HttpResponse::statusCode).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /** HTTP clients of Floe: each event its own request, all in flight at once; which events were acknowledged. */
    private static final class Clients {

        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

        Map<String, CompletableFuture<HttpResponse<String>>> sendAsync(URI uri, List<String> ids) {
            Map<String, CompletableFuture<HttpResponse<String>>> requests = new LinkedHashMap<>();
            for (String id : ids) {
                requests.put(id, FloeProcess.HTTP
                        .sendAsync(FloeProcess.binaryEvent(uri, id).build(), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, failure) -> {
                            if (response != null && response.statusCode() / 100 == 2) {
                                acknowledged.add(id);
                            }
                        }));
            }
            return requests;
        }

        /** Sends and waits for every answer; a request whose connection fails fails this call. */
        Map<String, HttpResponse<String>> send(URI uri, List<String> ids) {
            Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
            try {
                sendAsync(uri, ids).forEach((id, request) -> answers.put(id, request.join()));
            } catch (CompletionException e) {
                throw new IllegalStateException("a request got no answer", e.getCause());
            }
            return answers;
        }
    }
}
