package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.cloudevents.CloudEvent;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer and committer stages of a table against a real JDBC catalog on SQLite, whose commits are held by a write
 * lock another connection takes on the catalog's database ({@code BEGIN IMMEDIATE}): reads go on, the catalog's
 * compare-and-set UPDATE waits for the lock, and fails with SQLITE_BUSY once the database's busy timeout has passed.
 * What the tests look at: the Parquet files in the table's folder, the exchanges' answers and the table read back.
 */
class WriteWhileCommitHeldIT extends CamelTestSupport {

    // a held commit fails after this long: the tests that want it to succeed release the lock well before
    private static final int BUSY_TIMEOUT_MS = 6_000;

    @TempDir
    static Path dir;

    private String endpoint(String table, String options) {
        return "iceberg:" + table + "?catalogName=held&catalog.type=jdbc"
                + "&catalog.uri=RAW(jdbc:sqlite:" + database() + "?journal_mode=WAL&busy_timeout=" + BUSY_TIMEOUT_MS
                + ")&catalog.warehouse=" + dir.resolve("warehouse").toUri()
                + "&commitRetries=0&dedupWindowSeconds=600&maxGroupRows=3" + options;
    }

    private static Path database() {
        return dir.resolve("catalog.db");
    }

    private Connection lock;

    /** Another connection's write lock on the catalog database: the catalog's commits wait until it is closed. */
    private Connection holdCommits() throws SQLException {
        lock = DriverManager.getConnection("jdbc:sqlite:" + database());
        try (Statement statement = lock.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
        }
        return lock;
    }

    @AfterEach
    void releaseLeftLock() throws SQLException {
        if (lock != null && !lock.isClosed()) {
            release(lock); // a test that failed while it held the lock must not fail the next ones
        }
    }

    private static void release(Connection lock) throws SQLException {
        try (Statement statement = lock.createStatement()) {
            statement.execute("ROLLBACK");
        }
        lock.close();
    }

    @Test
    void theNextBatchIsWrittenWhileACommitWaitsAndCommitsAfterIt() throws Exception {
        String table = "held.overlap";
        assertThat(send(table, "", events("warm", 1), null).getException()).isNull();
        long before = dataFiles(table);

        Connection lock = holdCommits();
        CompletableFuture<Exchange> first = sendAsync(table, events("a", 3), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> dataFiles(table) == before + 1);
        CompletableFuture<Exchange> second = sendAsync(table, events("b", 3), null);

        // b's rows are in a Parquet file while a's commit still waits for the catalog
        await().atMost(Duration.ofSeconds(20)).until(() -> dataFiles(table) == before + 2);
        assertThat(first).isNotDone();
        release(lock);

        Exchange a = first.get();
        Exchange b = second.get();
        assertThat(a.getException()).isNull();
        assertThat(b.getException()).isNull();
        Table loaded = catalog(table).loadTable(TableIdentifier.parse(table));
        Snapshot snapshotOfB = loaded.snapshot(b.getMessage().getHeader(IcebergConstants.SNAPSHOT_ID, Long.class));
        // committed in the order written: a's snapshot is b's parent
        assertThat(snapshotOfB.parentId()).isEqualTo(a.getMessage().getHeader(IcebergConstants.SNAPSHOT_ID));
        assertThat(ids(table)).containsExactlyInAnyOrder("warm-0", "a-0", "a-1", "a-2", "b-0", "b-1", "b-2");
    }

    @Test
    void aBatchWrittenBehindAFailedKafkaCommitIsNeverCommittedAndItsFilesAreDeleted() throws Exception {
        String table = "held.offsets";
        assertThat(send(table, "", events("warm", 1), offsets(SourceOffsets.NONE, 0)).getException()).isNull();
        long before = dataFiles(table);

        Connection lock = holdCommits();
        CompletableFuture<Exchange> first = sendAsync(table, events("a", 3), offsets(0, 3));
        await().atMost(Duration.ofSeconds(20)).until(() -> dataFiles(table) == before + 1);
        // claims on top of a's claim, written while a's commit waits
        CompletableFuture<Exchange> second = sendAsync(table, events("b", 3), offsets(3, 6));
        await().atMost(Duration.ofSeconds(20)).until(() -> dataFiles(table) == before + 2);

        // the lock outlives the busy timeout: a's commit fails
        Exchange a = first.get();
        release(lock);
        Exchange b = second.get();

        assertThat(a.getException()).isInstanceOf(IcebergWriteException.class);
        assertThat(b.getException()).isInstanceOf(IcebergWriteException.class);
        assertThat(watermark(table)).isEqualTo(0L);
        assertThat(ids(table)).containsExactly("warm-0");
        // no snapshot holds either batch: their files were deleted
        assertThat(dataFiles(table)).isEqualTo(before);

        // the consumer replays both from the table's watermark
        assertThat(send(table, "", events("a", 3), offsets(0, 3)).getException()).isNull();
        assertThat(send(table, "", events("b", 3), offsets(3, 6)).getException()).isNull();
        assertThat(watermark(table)).isEqualTo(6L);
        assertThat(ids(table)).containsExactlyInAnyOrder("warm-0", "a-0", "a-1", "a-2", "b-0", "b-1", "b-2");
    }

    @Test
    void aBatchWhoseDuplicateWasInAFailedCommitFailsTooAndIsWrittenWhenSentAgain() throws Exception {
        String table = "held.dedup";
        assertThat(send(table, "", events("warm", 1), null).getException()).isNull();
        long before = dataFiles(table);

        Connection lock = holdCommits();
        CompletableFuture<Exchange> first = sendAsync(table, events("x", 2), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> dataFiles(table) == before + 1);
        // x-0 and x-1 again (a client's retry, say), with one new event: x-* are left out as duplicates of a's
        List<CloudEvent> retried = new ArrayList<>(events("x", 2));
        retried.addAll(events("y", 1));
        CompletableFuture<Exchange> second = sendAsync(table, retried, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> dataFiles(table) == before + 2);

        Exchange a = first.get();
        release(lock);
        Exchange b = second.get();

        assertThat(a.getException()).isInstanceOf(IcebergWriteException.class);
        // b would hold y-0 only: committed, it would have acknowledged x-* that no commit holds
        assertThat(b.getException()).isInstanceOf(IcebergWriteException.class).hasMessageContaining("duplicates");
        assertThat(ids(table)).containsExactly("warm-0");
        assertThat(dataFiles(table)).isEqualTo(before);

        assertThat(send(table, "", retried, null).getException()).isNull();
        assertThat(ids(table)).containsExactlyInAnyOrder("warm-0", "x-0", "x-1", "y-0");
    }

    @Test
    void aRetryMadeOnlyOfEventsOfAFailedCommitIsNotAcknowledgedWithoutThem() throws Exception {
        String table = "held.retry";
        assertThat(send(table, "", events("warm", 1), null).getException()).isNull();
        long before = dataFiles(table);

        Connection lock = holdCommits();
        CompletableFuture<Exchange> first = sendAsync(table, events("x", 2), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> dataFiles(table) == before + 1);
        // the client gave up on its request and sends the same two events again: both are in a's commit, so this
        // batch writes no file at all
        CompletableFuture<Exchange> second = sendAsync(table, events("x", 2), null);

        Exchange a = first.get();
        release(lock);
        Exchange b = second.get();

        assertThat(a.getException()).isInstanceOf(IcebergWriteException.class);
        // what the sender sees must match the table: an acknowledged retry is in it
        if (b.getException() == null) {
            assertThat(ids(table)).as("rows after an acknowledged retry").contains("x-0", "x-1");
        } else {
            assertThat(b.getException()).hasMessageContaining("duplicates");
            assertThat(ids(table)).containsExactly("warm-0");
        }
        assertThat(send(table, "", events("x", 2), null).getException()).isNull();
        assertThat(ids(table)).containsExactlyInAnyOrder("warm-0", "x-0", "x-1");
    }

    @Test
    void aBatchWrittenBehindAFailedCommitThatDoesNotDependOnItCommitsAfterIt() throws Exception {
        String table = "held.independent";
        assertThat(send(table, "", events("warm", 1), null).getException()).isNull();
        long before = dataFiles(table);

        Connection lock = holdCommits();
        CompletableFuture<Exchange> first = sendAsync(table, events("a", 3), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> dataFiles(table) == before + 1);
        CompletableFuture<Exchange> second = sendAsync(table, events("b", 3), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> dataFiles(table) == before + 2);

        Exchange a = first.get();
        assertThat(second).as("b commits only after a's commit ended").isNotDone();
        release(lock);
        Exchange b = second.get();

        assertThat(a.getException()).isInstanceOf(IcebergWriteException.class);
        assertThat(b.getException()).isNull();
        assertThat(ids(table)).containsExactlyInAnyOrder("warm-0", "b-0", "b-1", "b-2");
    }

    private Exchange send(String table, String options, List<CloudEvent> events, SourceOffsets offsets) {
        return template.request(endpoint(table, options), e -> prepare(e, events, offsets));
    }

    private CompletableFuture<Exchange> sendAsync(String table, List<CloudEvent> events, SourceOffsets offsets) {
        return template.asyncSend(endpoint(table, ""), e -> prepare(e, events, offsets));
    }

    private static void prepare(Exchange e, List<CloudEvent> events, SourceOffsets offsets) {
        e.getIn().setBody(events);
        if (offsets != null) {
            e.getIn().setHeader(IcebergConstants.SOURCE_OFFSETS, offsets);
        }
    }

    private static SourceOffsets offsets(long expected, long claimed) {
        return new SourceOffsets("kafka.g", Map.of("t-0", expected), Map.of("t-0", claimed));
    }

    private long watermark(String table) {
        Table loaded = catalog(table).loadTable(TableIdentifier.parse(table));
        return SourceOffsets.read(loaded, "kafka.g", Set.of("t-0")).get("t-0");
    }

    private Catalog catalog(String table) {
        return ((IcebergEndpoint) context.getEndpoint(endpoint(table, ""))).catalog();
    }

    private static List<CloudEvent> events(String prefix, int count) {
        return TestEvents.numbered(prefix, count, "/held");
    }

    /** The Parquet files in the table's data folder, committed or not. */
    private static long dataFiles(String table) throws IOException {
        return TestEvents.parquetFiles(dir.resolve("warehouse"), table);
    }

    private List<String> ids(String table) throws IOException {
        Table loaded = catalog(table).loadTable(TableIdentifier.parse(table));
        List<String> ids = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(loaded).build()) {
            rows.forEach(r -> ids.add((String) r.getField("id")));
        }
        return ids;
    }
}
