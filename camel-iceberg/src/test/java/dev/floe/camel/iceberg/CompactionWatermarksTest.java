package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/**
 * A compaction carries every source's watermarks into its snapshot, and gives way when an ingest commit moved them
 * while it was rewriting. The race is made deterministic by committing a batch between the compaction's rewrite and its
 * commit.
 */
class CompactionWatermarksTest extends CompactionTestSupport {

    private static final String SOURCE = "kafka.g1";

    /** A Kafka batch: the events of offsets (from, to], claiming to. */
    private void claim(String table, long from, long to) {
        List<SourcedEvent> rows = new ArrayList<>();
        for (long offset = from + 1; offset <= to; offset++) {
            rows.add(new SourcedEvent(event("o" + offset, "t", "s", "{\"offset\":" + offset + "}"),
                    new SourcedEvent.KafkaPosition("in", 0, offset, null)));
        }
        Exchange done = template.request(endpoint(table, ""), e -> {
            e.getIn().setBody(rows);
            e.getIn().setHeader(IcebergConstants.SOURCE_OFFSETS,
                    new SourceOffsets(SOURCE, Map.of("in/0", from), Map.of("in/0", to)));
        });
        assertThat(done.getException()).isNull();
    }

    private long watermark(Table table) {
        table.refresh();
        return SourceOffsets.read(table, SOURCE, Set.of("in/0")).get("in/0");
    }

    private static List<String> ids(Table table) throws Exception {
        return rows(table).stream().map(r -> (String) r.getField("id")).toList();
    }

    private static List<String> offsetIds(long to) {
        List<String> ids = new ArrayList<>();
        for (long offset = 0; offset <= to; offset++) {
            ids.add("o" + offset);
        }
        return ids;
    }

    @Test
    void theCompactionSnapshotCarriesTheWatermarksSoExpiryKeepsThem() throws Exception {
        for (long from = -1; from < 59; from += 10) {
            claim("w.carried", from, from + 10);
        }
        ingest("w.carried", "", List.of(event("http", "t", "s", "{}"))); // a batch without offsets on top
        Table table = table("w.carried");

        assertThat(compact("w.carried", "")).containsEntry("outcome", "done").containsEntry("rewrittenDataFiles", 7);

        table.refresh();
        assertThat(table.currentSnapshot().operation()).isEqualTo(DataOperations.REPLACE);
        assertThat(table.currentSnapshot().summary()).containsEntry(SourceOffsets.SUMMARY_PREFIX + SOURCE, "in/0=59")
                .doesNotContainKey(IcebergConstants.SUMMARY_BATCH_ID);
        // only the compaction's snapshot left: the marks are in it
        table.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
        assertThat(watermark(table)).isEqualTo(59);
        claim("w.carried", 59, 69);
        assertThat(watermark(table)).isEqualTo(69);
        List<String> expected = new ArrayList<>(offsetIds(69));
        expected.add("http");
        assertThat(ids(table)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aCompactionWhoseWatermarksMovedBeforeItsCommitIsRefusedAndItsFilesDeleted() throws Exception {
        for (long from = -1; from < 59; from += 10) {
            claim("w.moved", from, from + 10);
        }
        DataFileCompaction compaction = compaction("w.moved");
        DataFileCompaction.Rewrite rewrite = compaction.prepare();
        assertThat(rewrite.added()).isNotEmpty();

        claim("w.moved", 59, 69); // ingest commits between the rewrite and its commit

        assertThat(compaction.commit(rewrite)).containsEntry("outcome", "conflict");
        Table table = table("w.moved");
        assertThat(table.currentSnapshot().operation()).isEqualTo(DataOperations.APPEND);
        assertThat(watermark(table)).isEqualTo(69);
        for (DataFile file : rewrite.added()) {
            assertThat(table.io().newInputFile(file.location()).exists()).as(file.location()).isFalse();
        }
        assertThat(dataFiles(table)).hasSize(7);
        assertThat(ids(table)).containsExactlyInAnyOrderElementsOf(offsetIds(69));

        // the next run starts over from the new head
        assertThat(compact("w.moved", "")).containsEntry("outcome", "done");
        assertThat(watermark(table)).isEqualTo(69);
        assertThat(ids(table)).containsExactlyInAnyOrderElementsOf(offsetIds(69));
    }

    @Test
    void aBatchWithoutOffsetsCommittedMeanwhileDoesNotStopTheCompaction() throws Exception {
        for (long from = -1; from < 59; from += 10) {
            claim("w.http", from, from + 10);
        }
        DataFileCompaction compaction = compaction("w.http");
        DataFileCompaction.Rewrite rewrite = compaction.prepare();

        ingest("w.http", "", List.of(event("http", "t", "s", "{}")));

        assertThat(compaction.commit(rewrite)).containsEntry("outcome", "done");
        Table table = table("w.http");
        assertThat(watermark(table)).isEqualTo(59);
        assertThat(dataFiles(table)).hasSize(2); // the compacted file and the batch that came meanwhile
        List<String> expected = new ArrayList<>(offsetIds(59));
        expected.add("http");
        assertThat(ids(table)).containsExactlyInAnyOrderElementsOf(expected);
    }

    private DataFileCompaction compaction(String name) {
        IcebergEndpoint endpoint = icebergEndpoint(name, "&operation=compact");
        TableIdentifier id = TableIdentifier.parse(name);
        return new DataFileCompaction(id, endpoint.catalog().loadTable(id), endpoint.getConfiguration());
    }
}
