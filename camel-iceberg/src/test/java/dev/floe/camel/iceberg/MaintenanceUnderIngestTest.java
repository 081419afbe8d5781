package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest always wins: batches committed as fast as one thread can while another expires snapshots and rewrites
 * manifests over and over. No batch fails, every acknowledged row is there once, no watermark moves back.
 */
class MaintenanceUnderIngestTest extends CamelTestSupport {

    private static final int BATCHES = 40;

    @TempDir
    static Path dir;

    private String uri(String options) {
        return TableMaintenanceTest.uri(dir, "c.events", options);
    }

    @Test
    void ingestCommitsEveryBatchWhileExpiryAndManifestRewritesRunRepeatedly() throws Exception {
        // the table exists before maintenance starts
        template.sendBody(uri(""), List.of(TableMaintenanceTest.event("first")));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        AtomicBoolean ingesting = new AtomicBoolean(true);
        try {
            Future<List<Exchange>> ingest = threads.submit(() -> {
                List<Exchange> done = new ArrayList<>();
                try {
                    for (int i = 0; i < BATCHES; i++) {
                        int batch = i;
                        // a Kafka-style batch: claims the next five offsets of its partition
                        done.add(template.request(uri(""), e -> {
                            e.getIn().setBody(List.of(TableMaintenanceTest.event(batch + "-a"),
                                    TableMaintenanceTest.event(batch + "-b")));
                            e.getIn().setHeader(IcebergConstants.SOURCE_OFFSETS, new SourceOffsets("kafka.g",
                                    Map.of("in/0", batch * 5L - 1), Map.of("in/0", batch * 5L + 4)));
                        }));
                        if (done.get(batch).getException() != null) {
                            break;
                        }
                    }
                } finally {
                    ingesting.set(false);
                }
                return done;
            });
            Future<List<Object>> maintenance = threads.submit(() -> {
                List<Object> outcomes = new ArrayList<>();
                do {
                    for (String operation : new String[]{
                            "expireSnapshots&maxSnapshots=2&minSnapshotAgeMs=0", "rewriteManifests&maxManifests=2"}) {
                        Exchange done = template.request(uri("&operation=" + operation), e -> {
                        });
                        outcomes.add(done.getException() != null
                                ? done.getException()
                                : done.getMessage().getBody(Map.class).get("outcome"));
                    }
                } while (ingesting.get());
                return outcomes;
            });

            List<Exchange> batches = ingest.get(5, TimeUnit.MINUTES);
            List<Object> outcomes = maintenance.get(5, TimeUnit.MINUTES);

            assertThat(batches).hasSize(BATCHES).allSatisfy(e -> assertThat(e.getException()).isNull());
            assertThat(outcomes).isNotEmpty().allSatisfy(
                    o -> assertThat(o).isIn("done", "nothing-to-do", "conflict"));
            assertThat(outcomes).contains("done");
            Table table = ((IcebergEndpoint) context.getEndpoint(uri(""))).catalog()
                    .loadTable(TableIdentifier.parse("c.events"));
            List<String> ids = new ArrayList<>();
            for (String row : TableMaintenanceTest.rows(table)) {
                ids.add(row.split(" ")[1]);
            }
            List<String> expected = new ArrayList<>(List.of("first"));
            for (int i = 0; i < BATCHES; i++) {
                expected.add(i + "-a");
                expected.add(i + "-b");
            }
            assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(SourceOffsets.read(table, "kafka.g", Set.of("in/0")))
                    .containsEntry("in/0", (BATCHES - 1) * 5L + 4);
        } finally {
            threads.shutdownNow();
        }
    }
}
