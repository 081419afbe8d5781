package dev.floe.app;

import static dev.floe.app.BatchedRequests.ids;
import static dev.floe.app.BatchedRequests.rowsPerId;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.floe.app.BatchedRequests.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded default (SQLite catalog and local warehouse in floe.data-dir) on a tmpfs of its own, which the test
 * fills up for real, or whose warehouse it makes read-only with a read-only bind mount. Requests get 503 with
 * Retry-After, never 2xx or 500; nothing of them is in the table; once the disk has room or is writable again, the
 * client's resend lands exactly once.
 */
@QuarkusTest
@TestProfile(WarehouseDiskFaultsIT.TinyDisk.class)
class WarehouseDiskFaultsIT extends OnTinyDisk {

    public static class TinyDisk implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TinyDiskResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return ownPorts();
        }
    }

    @AfterEach
    void writableAgain() throws Exception {
        disk.warehouseWritable(); // before the disk is given back
    }

    @Test
    void fullDiskAnswers503WithRetryAfterWritesNothingAndTheResendLandsOnce() throws Exception {
        String prefix = "full-" + UUID.randomUUID() + "-";
        disk.fill();
        List<List<String>> requests = refusedWithRetryAfter(prefix);

        disk.free();
        client.resendUntilAcknowledged(requests, Duration.ofSeconds(60));
        assertExactlyOnce(prefix, requests);
    }

    @Test
    void diskFillingUpAtEachStepOfACommitNeverLeavesAHalfRequestAndTheResendLandsOnce() throws Exception {
        DiskFillSweep.run(client, disk, catalog);
    }

    @Test
    void readOnlyWarehouseAnswers503WithRetryAfterWritesNothingAndTheResendLandsOnce() throws Exception {
        String prefix = "ro-" + UUID.randomUUID() + "-";
        disk.warehouseReadOnly();
        List<List<String>> requests = refusedWithRetryAfter(prefix);

        disk.warehouseWritable();
        client.resendUntilAcknowledged(requests, Duration.ofSeconds(60));
        assertExactlyOnce(prefix, requests);
    }

    /** Three requests at once, while the fault lasts: each gets 503 with Retry-After and none is in the table. */
    private List<List<String>> refusedWithRetryAfter(String prefix) {
        List<List<String>> requests = new ArrayList<>();
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(ids(prefix, i));
            answers.add(client.send(requests.get(i), Duration.ofSeconds(60)));
        }
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.join().status()).isEqualTo(503);
            assertThat(a.join().retryAfter()).hasValue("1");
        });
        assertThat(rowsPerId(catalog, prefix)).as("nothing of them is in the table").isEmpty();
        return requests;
    }

    private void assertExactlyOnce(String prefix, List<List<String>> requests) {
        Map<String, Long> rows = rowsPerId(catalog, prefix);
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(requests.stream().flatMap(List::stream).toList());
        assertThat(rows.values()).as("every event exactly once").allMatch(n -> n == 1L);
    }
}
