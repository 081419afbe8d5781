package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.floe.testing.FaultProxy;
import io.cloudevents.CloudEvent;
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
import org.apache.iceberg.rest.InProcessRestCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A commit whose outcome is unknown while the next batch is already written: Iceberg's real REST catalog server, its
 * SQLite database write-locked by another connection so that the commit waits inside the server, and a TCP fault proxy
 * that swallows that commit's response once the lock is gone (the catalog applied it; Floe never heard).
 */
class WriteWhileCommitOutcomeUnknownIT extends CamelTestSupport {

    private static Path dir;
    private static InProcessRestCatalog server;
    private static FaultProxy proxy;
    private static Catalog direct;

    @BeforeAll
    static void startCatalog() throws Exception {
        dir = Files.createTempDirectory("floe-unknown-overlap");
        int serverPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            serverPort = socket.getLocalPort();
        }
        Map<String, String> config = new HashMap<>();
        config.put("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        config.put("uri", "jdbc:sqlite:" + database() + "?journal_mode=WAL&busy_timeout=30000");
        config.put("jdbc.schema-version", "V1");
        config.put("warehouse", dir.resolve("warehouse").toString());
        config.put("rest.port", String.valueOf(serverPort));
        server = new InProcessRestCatalog(config);
        server.start();
        proxy = FaultProxy.start(serverPort);
        direct = CatalogUtil.buildIcebergCatalog("direct",
                Map.of("type", "rest", "uri", "http://127.0.0.1:" + serverPort), null);
    }

    @AfterAll
    static void stopCatalog() throws Exception {
        proxy.close();
        server.stop();
    }

    private static Path database() {
        return dir.resolve("rest.db");
    }

    @Test
    void aLandedCommitWhoseAnswerWasLostIsReconciledBeforeTheBatchWrittenBehindItCommits() throws Exception {
        String table = "faults.overlap";
        assertThat(send(table, events("warm", 1)).get().getException()).isNull();
        long before = dataFiles(table);

        CompletableFuture<Exchange> first;
        CompletableFuture<Exchange> second;
        try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + database());
                Statement statement = lock.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            proxy.dropNextResponseTo("POST /v1/namespaces/faults/tables/overlap ");
            first = send(table, events("a", 3));
            await().atMost(Duration.ofSeconds(20)).until(() -> dataFiles(table) == before + 1);
            second = send(table, events("b", 3));
            // b's rows are in a Parquet file while a's commit waits inside the catalog
            await().atMost(Duration.ofSeconds(20)).until(() -> dataFiles(table) == before + 2);
            assertThat(first).isNotDone();
            statement.execute("ROLLBACK");
        }

        Exchange a = first.get();
        Exchange b = second.get();
        assertThat(proxy.droppedResponses()).as("a's commit answer was lost").isEqualTo(1);
        assertThat(a.getException()).isNull();
        assertThat(b.getException()).isNull();
        Table loaded = direct.loadTable(TableIdentifier.parse(table));
        List<Snapshot> namingA = new ArrayList<>();
        loaded.snapshots().forEach(s -> {
            if (a.getExchangeId().equals(s.summary().get(IcebergConstants.SUMMARY_BATCH_ID))) {
                namingA.add(s);
            }
        });
        assertThat(namingA).hasSize(1);
        Snapshot snapshotOfB = loaded.snapshot(b.getMessage().getHeader(IcebergConstants.SNAPSHOT_ID, Long.class));
        assertThat(snapshotOfB.parentId()).isEqualTo(namingA.get(0).snapshotId());
        List<String> ids = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(loaded).build()) {
            rows.forEach(r -> ids.add((String) r.getField("id")));
        }
        assertThat(ids).containsExactlyInAnyOrder("warm-0", "a-0", "a-1", "a-2", "b-0", "b-1", "b-2");
    }

    private CompletableFuture<Exchange> send(String table, List<CloudEvent> events) {
        String uri = "iceberg:" + table + "?catalogName=unknown&catalog.type=rest&catalog.uri=http://127.0.0.1:"
                + proxy.port() + "&commitRetries=5&commitRetryDelay=100&dedupWindowSeconds=600&maxGroupRows=3";
        return template.asyncSend(uri, e -> e.getIn().setBody(events));
    }

    private static List<CloudEvent> events(String prefix, int count) {
        return TestEvents.numbered(prefix, count, "/faults");
    }

    private static long dataFiles(String table) throws IOException {
        return TestEvents.parquetFiles(dir.resolve("warehouse"), table);
    }
}
