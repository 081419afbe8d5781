package dev.floe.app;

import static dev.floe.app.BatchedRequests.ids;
import static dev.floe.app.BatchedRequests.requestsInTable;
import static dev.floe.app.BatchedRequests.rowsPerId;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.floe.app.BatchedRequests.Answer;
import org.apache.iceberg.catalog.Catalog;

/**
 * The disk fills up part-way through a commit: each round fills the disk and leaves one more page free than the last,
 * until a commit fits, so the write that finds no space is in turn the data file, its checksum, a manifest, the
 * manifest list, the table metadata and whatever the catalog writes. Every request is answered 204 with all its events
 * in the table, or 503 with Retry-After and none of them there (on a local disk the committer's fresh read of the
 * table always answers, so a refusal is proven); once the space is back, the resends land exactly once.
 */
final class DiskFillSweep {

    private DiskFillSweep() {
    }

    static void run(BatchedRequests client, TinyDiskResource disk, Catalog catalog) throws Exception {
        String prefix = "step-" + UUID.randomUUID() + "-";
        List<List<String>> requests = new ArrayList<>();
        List<List<String>> refused = new ArrayList<>();
        Answer answer = null;
        for (int pages = 0; pages <= 64 && (answer == null || !answer.acknowledged()); pages++) {
            List<String> request = ids(prefix, pages);
            requests.add(request);
            disk.fillLeaving(pages);
            answer = client.send(request, Duration.ofSeconds(60)).join();
            Map<String, Long> rows = rowsPerId(catalog, prefix);
            disk.free();
            assertThat(answer.status()).as("with %d pages free", pages).isIn(204, 503);
            if (answer.acknowledged()) {
                assertThat(requestsInTable(rows, requests)).as("with %d pages free", pages).contains(request);
            } else {
                assertThat(answer.retryAfter()).hasValue("1");
                assertThat(requestsInTable(rows, requests)).as("refused with %d pages free", pages)
                        .doesNotContain(request);
                refused.add(request);
            }
        }
        assertThat(answer.acknowledged()).as("a commit fits in 64 pages").isTrue();
        assertThat(refused).as("the disk was too full for the first commits").isNotEmpty();

        client.resendUntilAcknowledged(refused, Duration.ofSeconds(60));
        Map<String, Long> rows = rowsPerId(catalog, prefix);
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(requests.stream().flatMap(List::stream).toList());
        assertThat(rows.values()).as("every event exactly once").allMatch(n -> n == 1L);
    }
}
