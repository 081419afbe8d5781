package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.Test;

/** operation=compact through the component, on a real JDBC catalog; every row read back with Iceberg's reader. */
class CompactionTest extends CompactionTestSupport {

    private static List<CloudEvent> batch(int batch, int size, String... types) {
        List<CloudEvent> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String id = batch + "-" + i;
            events.add(event(id, types[i % types.length], "room-" + i % 13,
                    "{\"celsius\":" + (batch * 31 + i) % 40 + ".5,\"note\":\"reading " + id + "\"}"));
        }
        return events;
    }

    @Test
    void smallAppendsArePackedIntoFilesOfTheTargetSizeWithEveryRowOnce() throws Exception {
        for (int b = 0; b < 40; b++) {
            ingest("c.small", "", batch(b, 100, "t"));
        }
        Table table = table("c.small");
        List<Record> before = rows(table);
        long inputBytes = dataFiles(table).stream().mapToLong(DataFile::fileSizeInBytes).sum();
        assertThat(dataFiles(table)).hasSize(40);

        // a target of a quarter of the table: about a quarter of the rows per file
        Map<String, Object> figures = compact("c.small", "&targetFileSizeBytes=" + inputBytes / 4);

        assertThat(figures).containsEntry("outcome", "done").containsEntry("removedDeleteFiles", 0);
        // file sizes vary a little from run to run: a last bin of one small file is left as it is
        int rewritten = (int) figures.get("rewrittenDataFiles");
        assertThat(rewritten).isBetween(39, 40);
        List<DataFile> after = dataFiles(table);
        assertThat(after).hasSize((int) figures.get("addedDataFiles") + 40 - rewritten).hasSizeBetween(4, 6);
        // bin-packed in order: full files, and at most one smaller one with the remainder
        List<Long> counts = after.stream().map(DataFile::recordCount).sorted().toList();
        assertThat(counts.subList(1, counts.size())).allSatisfy(n -> assertThat(n).isBetween(800L, 1000L));
        assertThat(rows(table)).hasSize(4000).containsExactlyInAnyOrderElementsOf(before);
        Snapshot head = table.currentSnapshot();
        assertThat(head.operation()).isEqualTo(DataOperations.REPLACE);
        assertThat(head.summary()).doesNotContainKey(IcebergConstants.SUMMARY_BATCH_ID);
    }

    @Test
    void eachPartitionIsCompactedOnItsOwnWithinTheByteBudget() throws Exception {
        String uri = "&partitionSpec=identity(type)";
        for (int b = 0; b < 12; b++) {
            ingest("c.parted", uri, batch(b, 60, "alpha", "beta", "gamma"));
        }
        for (int b = 12; b < 15; b++) {
            ingest("c.parted", uri, batch(b, 10, "delta")); // fewer small files than minInputFiles
        }
        Table table = table("c.parted");
        List<Record> before = rows(table);
        Map<String, Long> bytesByType = new HashMap<>();
        dataFiles(table).forEach(f -> bytesByType.merge(type(f), f.fileSizeInBytes(), Long::sum));
        long largest = bytesByType.values().stream().mapToLong(Long::longValue).max().orElseThrow();

        // a budget of one partition's files: one partition a run
        List<Integer> rewritten = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            Map<String, Object> figures = compact("c.parted", "&maxCompactionBytes=" + largest);
            assertThat(figures).containsEntry("outcome", "done").containsEntry("addedDataFiles", 1);
            rewritten.add((Integer) figures.get("rewrittenDataFiles"));
        }
        assertThat(rewritten).containsExactly(12, 12, 12);
        assertThat(compact("c.parted", "")).containsEntry("outcome", "nothing-to-do");

        Map<String, Integer> filesByType = new TreeMap<>();
        for (DataFile file : dataFiles(table)) {
            filesByType.merge(type(file), 1, Integer::sum);
            // every row of a file is in the file's partition
            assertThat(typesIn(table, file)).containsOnly(type(file));
        }
        assertThat(filesByType).isEqualTo(Map.of("alpha", 1, "beta", 1, "gamma", 1, "delta", 3));
        assertThat(rows(table)).containsExactlyInAnyOrderElementsOf(before);
    }

    private static String type(DataFile file) {
        return file.partition().get(0, String.class);
    }

    private static List<Object> typesIn(Table table, DataFile file) throws Exception {
        Schema schema = table.schema().select("type");
        List<Object> types = new ArrayList<>();
        try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(file.location())).project(schema)
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema)).build()) {
            rows.forEach(r -> types.add(r.getField("type")));
        }
        return types;
    }

    @Test
    void anUpsertTableIsRewrittenWithItsDeletesAppliedAndTheDeleteFilesGo() throws Exception {
        String uri = "&writeMode=upsert&identifierFields=subject";
        Map<String, String> latest = new TreeMap<>();
        int id = 0;
        for (int b = 0; b < 8; b++) {
            List<CloudEvent> events = new ArrayList<>();
            for (int k = b % 3; k < 20; k += 2) {
                String json = "{\"v\":" + b + "}";
                CloudEvent e = event("u" + id++, "t", "k" + k, json);
                if ((k + b) % 5 == 0) {
                    events.add(CloudEventBuilder.v1(e).withExtension("op", "d").build());
                    latest.remove("k" + k);
                } else {
                    events.add(e);
                    latest.put("k" + k, json);
                }
            }
            ingest("c.upserts", uri, events);
        }
        Table table = table("c.upserts");
        List<Record> before = rows(table);
        assertThat(summaryLong(table, "total-delete-files")).isPositive();

        Map<String, Object> figures = compact("c.upserts", "");

        assertThat(figures).containsEntry("outcome", "done").containsEntry("rewrittenDataFiles", 8);
        assertThat((Integer) figures.get("removedDeleteFiles")).isPositive();
        assertThat(summaryLong(table, "total-delete-files")).isZero();
        assertThat(summaryLong(table, "total-data-files")).isOne();
        List<Record> after = rows(table);
        assertThat(after).containsExactlyInAnyOrderElementsOf(before);
        Map<String, String> state = new TreeMap<>();
        after.forEach(r -> assertThat(state.put((String) r.getField("subject"), (String) r.getField("data"))).isNull());
        assertThat(state).isEqualTo(latest);

        // the table still takes upserts on top of the rewritten rows
        ingest("c.upserts", uri, List.of(event("u" + id, "t", "k1", "{\"v\":99}")));
        latest.put("k1", "{\"v\":99}");
        Map<String, String> next = new TreeMap<>();
        rows(table).forEach(r -> assertThat(next.put((String) r.getField("subject"), (String) r.getField("data")))
                .isNull());
        assertThat(next).isEqualTo(latest);
    }

    @Test
    void nothingToDoCommitsNothingAndAMissingTableIsSkipped() throws Exception {
        ingest("c.quiet", "", batch(0, 10, "t"));
        ingest("c.quiet", "", batch(1, 10, "t"));
        Table table = table("c.quiet");
        long head = table.currentSnapshot().snapshotId();

        assertThat(compact("c.quiet", "")).containsEntry("outcome", "nothing-to-do")
                .containsEntry("rewrittenDataFiles", 0).containsEntry("addedDataFiles", 0);
        table.refresh();
        assertThat(table.currentSnapshot().snapshotId()).isEqualTo(head);
        assertThat(table.snapshots()).hasSize(2);

        assertThat(compact("c.absent", "")).containsEntry("outcome", "skipped");
    }
}
