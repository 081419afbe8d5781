package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@link StagedBatch}'s rows are written as they are added, and committed once with the batch. */
class StagedBatchTest extends CamelTestSupport {

    @TempDir
    static Path dir;

    private String endpoint(String table, String options) {
        return LocalCatalog.endpoint(dir, table, options);
    }

    private StagedBatch open(String table, String options) {
        return context.getEndpoint(endpoint(table, options), IcebergEndpoint.class).openBatch(null);
    }

    private Exchange commit(String table, String options, StagedBatch batch) {
        return template.request(endpoint(table, options), e -> e.getIn().setBody(batch));
    }

    private Table table(String name) {
        return context.getEndpoint(endpoint(name, ""), IcebergEndpoint.class).catalog()
                .loadTable(TableIdentifier.parse(name));
    }

    private List<String> ids(String name) throws IOException {
        Table table = table(name);
        List<String> ids = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            rows.forEach(r -> ids.add((String) r.getField("id")));
        }
        return ids;
    }

    /** The Parquet files under the table's data folder, committed or not. */
    private long dataFiles(String name) throws IOException {
        String location = table(name).location();
        Path data = (location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location)).resolve("data");
        if (!Files.exists(data)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(f -> f.toString().endsWith(".parquet")).count();
        }
    }

    private static List<CloudEvent> events(String... ids) {
        return Stream.of(ids).map(id -> (CloudEvent) CloudEventBuilder.v1().withId(id)
                .withSource(URI.create("/staged")).withType("dev.floe.test").withSubject("s-" + id).build()).toList();
    }

    @Test
    void rowsAreWrittenAsTheyArriveAndCommittedOnceWithTheBatch() throws Exception {
        // the table exists before the batch, so its first part is written at once
        commit("it.staged", "", open("it.staged", ""));
        StagedBatch batch = open("it.staged", "");

        batch.add(events("a1", "a2"));
        // handed to the open file's writer by the lane (Parquet creates the file with its first row group)
        await().atMost(Duration.ofSeconds(10)).until(() -> batch.written == 2);
        assertThat(batch.held).isEmpty();
        assertThat(table("it.staged").currentSnapshot()).isNull();
        batch.add(events("a3"));
        Exchange done = commit("it.staged", "", batch);

        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getHeader(IcebergConstants.RECORD_COUNT, Long.class)).isEqualTo(3L);
        assertThat(done.getMessage().getHeader(IcebergConstants.DATA_FILES, Integer.class)).isEqualTo(1);
        assertThat(ids("it.staged")).containsExactlyInAnyOrder("a1", "a2", "a3");
    }

    @Test
    void anEventTwoBatchesHoldIsWrittenOnceWhenBothCommit() throws Exception {
        // the dedup window remembers what this process committed
        String window = "&dedupWindowSeconds=600";
        StagedBatch first = open("it.twice", window);
        StagedBatch second = open("it.twice", window);
        first.add(events("t1"));
        second.add(events("t1", "t2"));

        assertThat(commit("it.twice", window, first).getException()).isNull();
        Exchange done = commit("it.twice", window, second);

        assertThat(done.getException()).isNull();
        // a duplicate dropped is in the table all the same: it counts as written
        assertThat(done.getMessage().getHeader(IcebergConstants.RECORD_COUNT, Long.class)).isEqualTo(2L);
        assertThat(ids("it.twice")).containsExactlyInAnyOrder("t1", "t2");
    }

    @Test
    void anEventAStaleBatchHoldsIsWrittenByTheReplayThatCommitsFirst() throws Exception {
        commit("it.replay", "", open("it.replay", ""));
        // a batch of records read before a rewind, whose commit will be refused, and the replay of those records
        StagedBatch stale = open("it.replay", "");
        StagedBatch replay = open("it.replay", "");
        stale.add(events("r1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stale.written == 1);
        replay.add(events("r1", "r2"));

        assertThat(commit("it.replay", "", replay).getException()).isNull();

        assertThat(ids("it.replay")).containsExactlyInAnyOrder("r1", "r2");
        stale.close();
    }

    @Test
    void aBatchClosedWithoutItsCommitHidesNoEventOfALaterOne() throws Exception {
        commit("it.abandoned", "", open("it.abandoned", ""));
        StagedBatch abandoned = open("it.abandoned", "");
        StagedBatch later = open("it.abandoned", "");
        abandoned.add(events("x1"));
        later.add(events("x2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> abandoned.written == 1 && later.written == 1);
        // its exchange failed before the commit, as when a route step after the aggregator throws
        abandoned.close();

        later.add(events("x1"));
        assertThat(commit("it.abandoned", "", later).getException()).isNull();

        assertThat(ids("it.abandoned")).containsExactlyInAnyOrder("x1", "x2");
    }

    @Test
    void aRowThatCannotBeWrittenFailsItsBatchAloneAndLeavesNoFile() throws Exception {
        commit("it.badrow", "", open("it.badrow", ""));
        StagedBatch bad = open("it.badrow", "");
        bad.add(events("b1"));
        bad.add(List.of("not an event"));
        Exchange failed = commit("it.badrow", "", bad);

        assertThat(failed.getException()).isInstanceOf(IcebergWriteException.class)
                .hasMessageContaining("convert").hasMessageContaining("row 1");
        assertThat(dataFiles("it.badrow")).isZero();

        StagedBatch good = open("it.badrow", "");
        good.add(events("b1"));
        assertThat(commit("it.badrow", "", good).getException()).isNull();
        assertThat(ids("it.badrow")).containsExactly("b1");
    }

    @Test
    void aPartitionedTableTakesTheRowsAtTheCommit() throws Exception {
        String options = "&partitionSpec=identity(subject)";
        StagedBatch batch = open("it.parted", options);
        batch.add(events("p1", "p2"));
        batch.add(events("p3"));

        Exchange done = commit("it.parted", options, batch);

        assertThat(done.getException()).isNull();
        assertThat(ids("it.parted")).containsExactlyInAnyOrder("p1", "p2", "p3");
        assertThat(table("it.parted").currentSnapshot().addedDataFiles(table("it.parted").io())).hasSize(3);
    }
}
