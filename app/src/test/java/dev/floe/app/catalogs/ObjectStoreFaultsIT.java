package dev.floe.app.catalogs;

import static dev.floe.app.BatchedRequests.ids;
import static dev.floe.app.BatchedRequests.requestsInTable;
import static dev.floe.app.BatchedRequests.rowsPerId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.floe.app.BatchedRequests;
import dev.floe.app.BatchedRequests.Answer;
import dev.floe.testing.FaultProxy.Mode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The object store misbehaves while HTTP events arrive: S3Proxy behind a {@link dev.floe.testing.FaultProxy} that
 * delays every chunk, resets connections or black-holes them. Floe's catalog is JDBC on SQLite with an s3:// warehouse
 * reached through the proxy; rows are read back through the store directly, as any other reader would see them.
 * Whatever the fault, no request is acknowledged unless all its events are in the table, none is half written, and
 * everything a client sends again after the fault lands exactly once.
 */
@QuarkusTest
@TestProfile(ObjectStoreFaultsIT.FaultyStore.class)
class ObjectStoreFaultsIT {

    public static class FaultyStore implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FaultyS3Resource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // what bounds a black-holed S3 call: (1 + s3.retry.num-retries) tries, each ending after the socket
            // timeout without a byte; Iceberg's and the AWS SDK's defaults (5 retries, 30 s) make that 3 minutes
            return Map.of("floe.catalog.properties.http-client.urlconnection.socket-timeout-ms", "2000",
                    "floe.catalog.properties.s3.retry.num-retries", "2",
                    // a commit whose outcome is unknown is settled, or fails, within seconds while the store resets
                    "camel.component.iceberg.commit-reconcile-timeout", "5000",
                    // ports of its own: other test runs may share this machine
                    "floe.http.port", String.valueOf(Ports.free()),
                    "quarkus.management.test-port", String.valueOf(Ports.free()));
        }
    }

    private static Catalog direct;

    FaultyS3Resource store;
    @ConfigProperty(name = "floe.http.port")
    int httpPort;
    BatchedRequests client;

    @BeforeEach
    void tableExistsAndAReaderBypassesTheProxy() {
        client = new BatchedRequests(httpPort);
        if (direct == null) {
            // the same name as Floe's catalog: a JDBC catalog sees only the tables of its own name
            direct = CatalogUtil.buildIcebergCatalog("floe", store.directCatalog(), new Configuration());
        }
        assertThat(client.send(ids("warm-" + UUID.randomUUID() + "-", 0), Duration.ofSeconds(60)).join().status())
                .isEqualTo(204);
    }

    @AfterEach
    void heal() {
        store.proxy().heal();
    }

    @AfterAll
    static void closeReader() throws Exception {
        if (direct instanceof AutoCloseable closeable) {
            closeable.close();
        }
        direct = null;
    }

    @Test
    void slowObjectStoreDelayingEveryChunkStillStoresEveryEventOnce() {
        String prefix = "slow-" + UUID.randomUUID() + "-";
        store.proxy().delay(200);
        List<List<String>> requests = new ArrayList<>();
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            requests.add(ids(prefix, i));
            answers.add(client.send(requests.get(i), Duration.ofSeconds(120)));
        }

        assertThat(answers).allSatisfy(a -> assertThat(a.join().status()).isEqualTo(204));
        Map<String, Long> rows = rowsPerId(direct, prefix);
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(requests.stream().flatMap(List::stream).toList());
        assertThat(rows.values()).as("every event exactly once").allMatch(n -> n == 1L);
    }

    @Test
    void resettingObjectStoreMidCommitAnswers503LeavesNoHalfRequestAndTheResendLandsOnce() {
        String prefix = "reset-" + UUID.randomUUID() + "-";
        Fault fault = startMidCommit(prefix, Mode.RESET, Duration.ofSeconds(60));
        // every request sent while the store resets every connection fails, and says when to come back
        assertThat(fault.duringFault()).allSatisfy(a -> {
            assertThat(a.join().status()).isEqualTo(503);
            assertThat(a.join().retryAfter()).isPresent();
        });
        fault.nothingHalfWrittenAndNothingSentDuringTheFaultStored();

        store.proxy().heal();
        fault.settleAndResend();
    }

    @Test
    void blackHoledObjectStoreMidCommitIsNeverAcknowledgedAndTheResendLandsOnce() {
        String prefix = "hole-" + UUID.randomUUID() + "-";
        Fault fault = startMidCommit(prefix, Mode.BLACK_HOLE, Duration.ofSeconds(10));
        // the client gives up, or the S3 calls time out first and Floe answers 503
        assertThat(fault.duringFault()).allSatisfy(a -> assertThat(a.join().status()).isIn(0, 503));
        fault.nothingHalfWrittenAndNothingSentDuringTheFaultStored();

        store.proxy().heal();
        fault.settleAndResend();
    }

    /**
     * Sends three requests through a slowed store, switches the fault on once their commit has begun (its first
     * manifest is in the store: the data files are written, the manifest list and table metadata are not yet), and
     * sends three more while the fault lasts.
     */
    private Fault startMidCommit(String prefix, Mode mode, Duration clientTimeout) {
        Fault fault = new Fault(prefix);
        long metadataFilesBefore = storedFiles("metadata");
        store.proxy().delay(100);
        for (int i = 0; i < 3; i++) {
            fault.requests.add(ids(prefix, i));
            fault.answers.add(client.send(fault.requests.get(i), clientTimeout));
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> storedFiles("metadata") > metadataFilesBefore);
        store.proxy().mode(mode);
        for (int i = 3; i < 6; i++) {
            fault.requests.add(ids(prefix, i));
            fault.answers.add(client.send(fault.requests.get(i), clientTimeout));
        }
        return fault;
    }

    /** The files in a folder of the table in the store, committed or not, listed directly. */
    private static long storedFiles(String folder) {
        Table table = direct.loadTable(TableIdentifier.parse("default.events"));
        long n = 0;
        for (FileInfo file : ((SupportsPrefixOperations) table.io())
                .listPrefix(table.location() + "/" + folder + "/")) {
            n++;
        }
        return n;
    }

    /** Six requests: three sent before the fault began, three while it lasts. */
    private final class Fault {

        final String prefix;
        final List<List<String>> requests = new ArrayList<>();
        final List<CompletableFuture<Answer>> answers = new ArrayList<>();

        Fault(String prefix) {
            this.prefix = prefix;
        }

        List<CompletableFuture<Answer>> duringFault() {
            return answers.subList(3, 6);
        }

        /** What another reader of the table sees while the fault lasts. */
        void nothingHalfWrittenAndNothingSentDuringTheFaultStored() {
            List<List<String>> stored = requestsInTable(rowsPerId(direct, prefix), requests);
            assertThat(stored).doesNotContainAnyElementsOf(requests.subList(3, 6));
        }

        /**
         * Waits for every answer: 204 with all its events in the table, or refused (503 with Retry-After, or given up
         * by the client) with none or all of them there (a refusal whose commit landed after all, which the resend
         * deduplicates). Then sends again what was refused, and checks every event is there exactly once.
         */
        void settleAndResend() {
            List<List<String>> refused = new ArrayList<>();
            List<List<String>> acknowledged = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                Answer answer = answers.get(i).join();
                if (answer.acknowledged()) {
                    acknowledged.add(requests.get(i));
                } else {
                    assertThat(answer.status()).as("not acknowledged: 503 or no answer").isIn(0, 503);
                    if (answer.status() == 503) {
                        assertThat(answer.retryAfter()).isPresent();
                    }
                    refused.add(requests.get(i));
                }
            }
            assertThat(requestsInTable(rowsPerId(direct, prefix), requests)).containsAll(acknowledged);

            client.resendUntilAcknowledged(refused, Duration.ofSeconds(120));
            Map<String, Long> rows = rowsPerId(direct, prefix);
            assertThat(rows.keySet())
                    .containsExactlyInAnyOrderElementsOf(requests.stream().flatMap(List::stream).toList());
            assertThat(rows.values()).as("every event exactly once").allMatch(n -> n == 1L);
        }
    }
}
