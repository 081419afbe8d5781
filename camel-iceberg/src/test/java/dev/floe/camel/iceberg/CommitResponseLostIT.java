package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import dev.floe.testing.FaultProxy;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The commit protocol against Iceberg's real REST catalog server, reached through a TCP fault proxy that lets a commit
 * request through and swallows its response (the catalog applied it; Floe never heard), and then, in some tests, resets
 * every connection for a while so that the reads meant to settle the outcome fail too. Each test reads the table back
 * directly from the server with Iceberg's reader: every row exactly once, every file a snapshot references present.
 */
class CommitResponseLostIT extends CamelTestSupport {

    private static ProxiedRestCatalog catalog;
    private static FaultProxy proxy;
    private static Catalog direct;

    @BeforeAll
    static void startCatalog() throws Exception {
        catalog = ProxiedRestCatalog.start("floe-commit-faults");
        proxy = catalog.proxy();
        direct = CatalogUtil.buildIcebergCatalog("direct", Map.of("type", "rest", "uri", catalog.directUri()), null);
    }

    @BeforeEach
    void healProxy() {
        proxy.heal();
    }

    @AfterAll
    static void stopCatalog() throws Exception {
        catalog.close();
    }

    private static String endpoint(String table, String options) {
        return "iceberg:" + table + "?catalogName=faulty&catalog.type=rest&catalog.uri=" + catalog.proxiedUri()
                + "&commitRetries=5&commitRetryDelay=100&dedupWindowSeconds=600" + options;
    }

    @Test
    void lostResponseIsReconciledToOneSnapshot() throws Exception {
        String table = "faults.lost";
        send(table, "", events("warm", 1), null);
        int dropped = proxy.droppedResponses();
        proxy.dropNextResponseTo(commitRequest(table));

        Exchange result = send(table, "", events("a", 3), null);

        assertThat(proxy.droppedResponses()).as("the commit's response was dropped").isEqualTo(dropped + 1);
        assertThat(result.getException()).isNull();
        assertExactlyOnce(table, List.of("warm-0", "a-0", "a-1", "a-2"));
        assertThat(snapshotsNaming(table, result.getExchangeId())).hasSize(1);
    }

    @Test
    void lostResponseWhileTheCatalogIsUnreachableRetriesNothingUntilReconciled() throws Exception {
        String table = "faults.unreachable";
        send(table, "", events("warm", 1), null);
        proxy.dropNextResponseTo(commitRequest(table), 3_000);

        Exchange result = send(table, "", events("b", 3), null);

        assertThat(result.getException()).isNull();
        assertExactlyOnce(table, List.of("warm-0", "b-0", "b-1", "b-2"));
        assertThat(snapshotsNaming(table, result.getExchangeId())).hasSize(1);
    }

    @Test
    void lostResponseOfAnOffsetsCommitNeverDeletesTheFilesItCommitted() throws Exception {
        String table = "faults.offsets";
        SourceOffsets first = new SourceOffsets("kafka.g", Map.of("t-0", SourceOffsets.NONE), Map.of("t-0", 0L));
        send(table, "", events("warm", 1), first);
        proxy.dropNextResponseTo(commitRequest(table), 3_000);

        SourceOffsets second = new SourceOffsets("kafka.g", Map.of("t-0", 0L), Map.of("t-0", 3L));
        Exchange result = send(table, "", events("c", 3), second);

        assertThat(result.getException()).isNull();
        // reading every row opens every data file: a deleted one fails the read
        assertExactlyOnce(table, List.of("warm-0", "c-0", "c-1", "c-2"));
        Table loaded = direct.loadTable(TableIdentifier.parse(table));
        assertThat(SourceOffsets.read(loaded, "kafka.g", java.util.Set.of("t-0"))).containsEntry("t-0", 3L);
    }

    @Test
    void unknownOutcomeFailsKeepingTheFilesAndTheResendIsWrittenOnce() throws Exception {
        String table = "faults.unknown";
        String options = "&commitReconcileTimeout=500";
        send(table, options, events("warm", 1), null);
        proxy.dropNextResponseTo(commitRequest(table), 4_000);

        Exchange failed = send(table, options, events("d", 3), null);

        assertThat(failed.getException()).isInstanceOf(CommitOutcomeUnknownException.class)
                .hasMessageContaining(table).hasMessageContaining(failed.getExchangeId());
        // the commit did land: its rows are readable, their files were kept
        assertExactlyOnce(table, List.of("warm-0", "d-0", "d-1", "d-2"));

        // the sender was not acknowledged and sends the same events again, once the catalog answers
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> send(table, options,
                events("probe-" + System.nanoTime(), 1), null).getException() == null);
        Exchange resend = send(table, options, events("d", 3), null);

        assertThat(resend.getException()).isNull();
        List<String> ids = ids(table);
        assertThat(ids).filteredOn(id -> id.startsWith("d-")).containsExactlyInAnyOrder("d-0", "d-1", "d-2");
    }

    private Exchange send(String table, String options, List<CloudEvent> events, SourceOffsets offsets) {
        return template.request(endpoint(table, options), e -> {
            e.getIn().setBody(events);
            if (offsets != null) {
                e.getIn().setHeader(IcebergConstants.SOURCE_OFFSETS, offsets);
            }
        });
    }

    /** The REST catalog's commit: a POST to the table's own path (a load is a GET there). */
    private static String commitRequest(String table) {
        TableIdentifier id = TableIdentifier.parse(table);
        return "POST /v1/namespaces/" + id.namespace() + "/tables/" + id.name() + " ";
    }

    private static List<CloudEvent> events(String prefix, int count) {
        return TestEvents.numbered(prefix, count, "/faults");
    }

    private static void assertExactlyOnce(String table, List<String> expected) throws IOException {
        assertThat(ids(table)).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<String> ids(String table) throws IOException {
        Table loaded = direct.loadTable(TableIdentifier.parse(table));
        List<String> ids = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(loaded).build()) {
            rows.forEach(r -> ids.add((String) r.getField("id")));
        }
        return ids;
    }

    private static List<Snapshot> snapshotsNaming(String table, String batchId) {
        List<Snapshot> found = new ArrayList<>();
        direct.loadTable(TableIdentifier.parse(table)).snapshots().forEach(s -> {
            if (batchId.equals(s.summary().get(IcebergConstants.SUMMARY_BATCH_ID))) {
                found.add(s);
            }
        });
        return found;
    }

}
