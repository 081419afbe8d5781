package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maintenance operations against a real catalog (JDBC on SQLite, files on the local disk): what a user sees in the
 * table afterwards.
 */
class TableMaintenanceTest extends CamelTestSupport {

    private static final long TWO_DAYS_MS = 2 * 86_400_000L;

    @TempDir
    static Path dir;

    static String catalogOptions(Path dir) {
        return "catalogName=test&catalog.type=jdbc"
                + "&catalog.uri=RAW(jdbc:sqlite:" + dir.resolve("catalog.db") + "?journal_mode=WAL&busy_timeout=5000)"
                + "&catalog.warehouse=" + dir.resolve("warehouse").toUri();
    }

    static String uri(Path dir, String table, String options) {
        return "iceberg:" + table + "?" + catalogOptions(dir) + options;
    }

    private String uri(String table, String options) {
        return uri(dir, table, options);
    }

    private Table table(String table) {
        Catalog catalog = ((IcebergEndpoint) context.getEndpoint(uri(table, ""))).catalog();
        return catalog.loadTable(TableIdentifier.parse(table));
    }

    static CloudEvent event(String id) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/m")).withType("t")
                .withData("application/json", ("{\"n\":\"" + id + "\"}").getBytes()).build();
    }

    /** Commits {@code batches} batches of two events each, one snapshot per batch. */
    private void ingest(String table, String prefix, int batches) {
        for (int i = 0; i < batches; i++) {
            template.sendBody(uri(table, ""), List.of(event(prefix + i + "-a"), event(prefix + i + "-b")));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> maintain(String table, String operation, String options) {
        Exchange done = template.request(uri(table, "&operation=" + operation + options), e -> {
        });
        assertThat(done.getException()).isNull();
        return done.getMessage().getBody(Map.class);
    }

    /** Every row as text, sorted: identical lists mean nothing was lost, duplicated or changed. */
    static List<String> rows(Table table) throws Exception {
        table.refresh();
        List<String> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
            it.forEach(r -> rows.add(r.getField("source") + " " + r.getField("id") + " " + r.getField("data") + " "
                    + r.getField("ingest_time")));
        }
        rows.sort(null);
        return rows;
    }

    private static long metadataJsonFiles(Table table) throws Exception {
        try (Stream<Path> files = Files.list(Path.of(URI.create(table.location() + "/metadata")))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".metadata.json")).count();
        }
    }

    private static void age(Path folder, long ageMs) throws Exception {
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - ageMs);
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, old);
            }
        }
    }

    private static Path folder(Table table) {
        return Path.of(URI.create(table.location().replaceFirst("^file:/+", "file:///")));
    }

    @Test
    void expireSnapshotsHonoursTheCapAndKeepsEveryRow() throws Exception {
        ingest("m.capped", "", 12);
        List<String> before = rows(table("m.capped"));
        Map<String, Object> statsBefore = maintain("m.capped", "stats", "");

        Map<String, Object> result = maintain("m.capped", "expireSnapshots", "&maxSnapshots=3&minSnapshotAgeMs=0");

        assertThat(result).containsEntry("operation", "expireSnapshots").containsEntry("table", "m.capped")
                .containsEntry("outcome", "done").containsEntry("expiredSnapshots", 9L);
        assertThat((Long) result.get("deletedFiles")).isPositive(); // the expired snapshots' manifest lists
        Map<String, Object> statsAfter = maintain("m.capped", "stats", "");
        assertThat(statsBefore).containsEntry("snapshots", 12);
        assertThat(statsAfter).containsEntry("snapshots", 3).containsEntry("records", 24L)
                .containsEntry("dataFiles", 12L);
        assertThat((Long) statsAfter.get("metadataFileBytes")).isLessThan((Long) statsBefore.get("metadataFileBytes"));
        assertThat(rows(table("m.capped"))).hasSize(24).isEqualTo(before);

        // under the cap and younger than the age limit: nothing to do
        assertThat(maintain("m.capped", "expireSnapshots", "&maxSnapshots=3&minSnapshotAgeMs=0"))
                .containsEntry("outcome", "nothing-to-do").containsEntry("expiredSnapshots", 0L);
    }

    @Test
    void expireSnapshotsNeverExpiresSnapshotsYoungerThanMinSnapshotAge() throws Exception {
        ingest("m.young", "", 5);

        Map<String, Object> result = maintain("m.young", "expireSnapshots",
                "&maxSnapshots=1&maxSnapshotAgeMs=0&minSnapshotAgeMs=3600000");

        assertThat(result).containsEntry("outcome", "nothing-to-do").containsEntry("expiredSnapshots", 0L);
        assertThat(maintain("m.young", "stats", "")).containsEntry("snapshots", 5);
        assertThat(rows(table("m.young"))).hasSize(10);
    }

    @Test
    void expireSnapshotsByAgeAndDeletesMetadataFilesBeyondTheLog() throws Exception {
        // a table whose old metadata files were never deleted (written before delete-after-commit, say)
        String table = "m.aged";
        for (int i = 0; i < 14; i++) {
            template.sendBody(uri(table, "&table.write.metadata.delete-after-commit.enabled=false"
                    + "&table.write.metadata.previous-versions-max=5"), List.of(event("e" + i)));
        }
        Table t = table(table);
        List<String> before = rows(t);
        assertThat(metadataJsonFiles(t)).isEqualTo(15);

        Map<String, Object> result = maintain(table, "expireSnapshots", "&maxSnapshotAgeMs=0&minSnapshotAgeMs=0");

        assertThat(result).containsEntry("outcome", "done").containsEntry("expiredSnapshots", 13L);
        t.refresh();
        // the current metadata file and the five the log names
        assertThat(metadataJsonFiles(t)).isEqualTo(6);
        assertThat((Long) result.get("deletedMetadataFiles")).isEqualTo(16 - 6); // 15 + the expiry's own
        assertThat(maintain(table, "stats", "")).containsEntry("snapshots", 1);
        assertThat(rows(t)).isEqualTo(before);
    }

    @Test
    void floeCreatedTablesBoundTheirMetadataLog() {
        ingest("m.props", "", 1);
        assertThat(table("m.props").properties())
                .containsEntry("write.metadata.delete-after-commit.enabled", "true")
                .containsEntry("write.metadata.previous-versions-max", "100");
    }

    @Test
    void aKafkaWatermarkSurvivesExpiryOfEverySnapshotButTheHeadAndAManifestRewrite() throws Exception {
        String table = "m.marks";
        String kafka = uri(table, "");
        template.send(kafka, e -> {
            e.getIn().setBody(List.of(event("k1")));
            e.getIn().setHeader(IcebergConstants.SOURCE_OFFSETS,
                    new SourceOffsets("kafka.g", Map.of("in/0", -1L, "in/1", -1L), Map.of("in/0", 5L, "in/1", 2L)));
        });
        template.send(kafka, e -> {
            e.getIn().setBody(List.of(event("k2")));
            e.getIn().setHeader(IcebergConstants.SOURCE_OFFSETS,
                    new SourceOffsets("kafka.g", Map.of("in/0", 5L), Map.of("in/0", 9L)));
        });
        // then HTTP batches, with no offsets of their own
        ingest(table, "h", 4);
        List<String> before = rows(table(table));

        assertThat(maintain(table, "expireSnapshots", "&maxSnapshots=1&minSnapshotAgeMs=0"))
                .containsEntry("expiredSnapshots", 5L);
        assertThat(maintain(table, "rewriteManifests", "&maxManifests=0")).containsEntry("outcome", "done");
        assertThat(maintain(table, "expireSnapshots", "&maxSnapshots=1&minSnapshotAgeMs=0"))
                .containsEntry("expiredSnapshots", 1L);

        Table t = table(table);
        assertThat(maintain(table, "stats", "")).containsEntry("snapshots", 1);
        assertThat(SourceOffsets.read(t, "kafka.g", Set.of("in/0", "in/1"))).containsEntry("in/0", 9L)
                .containsEntry("in/1", 2L);
        assertThat(rows(t)).isEqualTo(before);
    }

    @Test
    void rewriteManifestsClustersManyManifestsIntoFewAndKeepsEveryRow() throws Exception {
        ingest("m.manifests", "", 25);
        List<String> before = rows(table("m.manifests"));
        assertThat(maintain("m.manifests", "stats", "")).containsEntry("manifests", 25);

        assertThat(maintain("m.manifests", "rewriteManifests", "&maxManifests=30"))
                .containsEntry("outcome", "nothing-to-do").containsEntry("manifestsBefore", 25)
                .containsEntry("manifestsAfter", 25);
        Map<String, Object> result = maintain("m.manifests", "rewriteManifests", "");

        assertThat(result).containsEntry("outcome", "done").containsEntry("manifestsBefore", 25)
                .containsEntry("manifestsAfter", 1);
        assertThat(maintain("m.manifests", "stats", "")).containsEntry("manifests", 1).containsEntry("snapshots", 26);
        assertThat(table("m.manifests").currentSnapshot().summary()).doesNotContainKey(
                IcebergConstants.SUMMARY_BATCH_ID);
        assertThat(rows(table("m.manifests"))).isEqualTo(before);
    }

    @Test
    void aManifestRewriteThatWouldMoveAWatermarkBackGivesWayToIngest() throws Exception {
        String table = "m.race";
        String kafka = uri(table, "");
        template.send(kafka, e -> {
            e.getIn().setBody(List.of(event("r1")));
            e.getIn().setHeader(IcebergConstants.SOURCE_OFFSETS,
                    new SourceOffsets("kafka.g", Map.of("in/0", -1L), Map.of("in/0", 5L)));
        });
        ingest(table, "h", 2);
        // the maintainer read the table here ...
        Table stale = table(table);
        // ... and an ingest commit moved the watermark before the rewrite swapped in
        template.send(kafka, e -> {
            e.getIn().setBody(List.of(event("r2")));
            e.getIn().setHeader(IcebergConstants.SOURCE_OFFSETS,
                    new SourceOffsets("kafka.g", Map.of("in/0", 5L), Map.of("in/0", 9L)));
        });
        IcebergEndpoint endpoint = (IcebergEndpoint) context.getEndpoint(uri(table, "&maxManifests=1"));
        Map<String, Object> body = new LinkedHashMap<>();

        new TableMaintenance(endpoint).apply("rewriteManifests", TableIdentifier.parse(table), stale, body);

        assertThat(body).containsEntry("outcome", "conflict");
        Table fresh = table(table);
        assertThat(SourceOffsets.read(fresh, "kafka.g", Set.of("in/0"))).containsEntry("in/0", 9L);
        assertThat(fresh.currentSnapshot().summary()).containsKey(IcebergConstants.SUMMARY_BATCH_ID);
        assertThat(rows(fresh)).hasSize(6);
    }

    @Test
    void removeOrphanFilesDeletesOnlyOldUnreferencedFiles() throws Exception {
        String table = "m.orphans";
        ingest(table, "", 4);
        ingest("m.orphans2", "", 1); // a table whose location shares the first's as a prefix
        Table t = table(table);
        List<String> before = rows(t);
        Path location = folder(t);
        Path sibling = folder(table("m.orphans2"));
        // every file old enough to go, so only the references keep the table's own files
        age(location, TWO_DAYS_MS);
        age(sibling, TWO_DAYS_MS);
        List<Path> referenced;
        try (Stream<Path> files = Files.walk(location)) {
            referenced = files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList();
        }
        Path oldOrphan = Files.writeString(location.resolve("data/lost-commit.parquet"), "x");
        Files.setLastModifiedTime(oldOrphan, FileTime.fromMillis(System.currentTimeMillis() - TWO_DAYS_MS));
        Path oldManifest = Files.writeString(location.resolve("metadata/lost-manifest.avro"), "x");
        Files.setLastModifiedTime(oldManifest, FileTime.fromMillis(System.currentTimeMillis() - TWO_DAYS_MS));
        Path youngOrphan = Files.writeString(location.resolve("data/in-flight.parquet"), "x");

        Map<String, Object> dryRun = maintain(table, "removeOrphanFiles", "&dryRun=true");

        assertThat(dryRun).containsEntry("outcome", "done").containsEntry("orphanFiles", 2L)
                .containsEntry("deletedFiles", 0L);
        assertThat(oldOrphan).exists();

        Map<String, Object> result = maintain(table, "removeOrphanFiles", "");

        assertThat(result).containsEntry("outcome", "done").containsEntry("orphanFiles", 2L)
                .containsEntry("deletedFiles", 2L);
        assertThat(oldOrphan).doesNotExist();
        assertThat(oldManifest).doesNotExist();
        assertThat(youngOrphan).exists();
        assertThat(referenced).isNotEmpty().allSatisfy(p -> assertThat(p).exists());
        try (Stream<Path> files = Files.walk(sibling)) {
            assertThat(files.filter(Files::isRegularFile).count()).isPositive();
        }
        assertThat(rows(table(table))).isEqualTo(before);
        assertThat(rows(table("m.orphans2"))).hasSize(2);
        assertThat(maintain(table, "removeOrphanFiles", "")).containsEntry("outcome", "nothing-to-do");
    }

    @Test
    void removeOrphanFilesKeepsEscapedPartitionFoldersAndTablesNestedBelowTheLocation() throws Exception {
        // partition values Iceberg escapes in paths (type=a%3Ab), and a table whose folder lies inside this one's
        String table = "m.nest";
        String options = "&partitionSpec=identity(type)";
        for (String type : List.of("com.example:order/created", "caf\u00e9 ok", "plain")) {
            template.sendBody(uri(table, options), List.of(CloudEventBuilder.v1().withId(type).withSource(
                    URI.create("/m")).withType(type).build()));
        }
        ingest("m.nest.data", "inner", 2);
        Table t = table(table);
        List<String> before = rows(t);
        List<String> inner = rows(table("m.nest.data"));
        age(folder(t), TWO_DAYS_MS);

        Map<String, Object> result = maintain(table, "removeOrphanFiles", "");
        Map<String, Object> expiry = maintain(table, "expireSnapshots", "&maxSnapshots=1&minSnapshotAgeMs=0");

        assertThat(result).containsEntry("orphanFiles", 0L);
        assertThat(expiry).containsEntry("outcome", "done");
        assertThat(rows(table(table))).hasSize(3).isEqualTo(before);
        assertThat(rows(table("m.nest.data"))).hasSize(4).isEqualTo(inner);
        assertThat(maintain("m.nest.data", "stats", "")).containsEntry("snapshots", 2);
    }

    @Test
    void expiryKeepsTheSnapshotsThatHoldWatermarksOfATableWrittenBeforeMarksWereCarried() throws Exception {
        // the layout of tables written before every snapshot carried every mark: each partition's mark only in the
        // snapshot that last claimed it
        String table = "m.legacy";
        ingest(table, "", 1);
        Table t = table(table);
        t.newAppend().set(SourceOffsets.SUMMARY_PREFIX + "kafka", "t/0=9").commit();
        t.newAppend().set(SourceOffsets.SUMMARY_PREFIX + "kafka", "t/1=4").commit();
        t.newAppend().commit();
        t.refresh();
        CarriedWatermarks marks = CarriedWatermarks
                .of(SnapshotUtil.ancestorsOf(t.currentSnapshot().snapshotId(), t::snapshot));

        maintain(table, "expireSnapshots", "&maxSnapshots=1&minSnapshotAgeMs=0&maxSnapshotAgeMs=0");

        Table after = table(table);
        assertThat(
                CarriedWatermarks.of(SnapshotUtil.ancestorsOf(after.currentSnapshot().snapshotId(), after::snapshot)))
                .isEqualTo(marks);
        assertThat(marks.toString()).contains("t/0").contains("t/1");
    }

    @Test
    void statsReadTheTablesHealthFigures() throws Exception {
        ingest("m.stats", "", 3);
        Table t = table("m.stats");
        String metadata = ((org.apache.iceberg.HasTableOperations) t).operations().current().metadataFileLocation();

        Map<String, Object> stats = maintain("m.stats", "stats", "");

        assertThat(stats).containsEntry("operation", "stats").containsEntry("table", "m.stats")
                .containsEntry("outcome", "done").containsEntry("snapshots", 3).containsEntry("dataFiles", 3L)
                .containsEntry("deleteFiles", 0L).containsEntry("records", 6L).containsEntry("manifests", 3)
                .containsEntry("metadataFileBytes", Files.size(Path.of(URI.create(
                        metadata.replaceFirst("^file:/+", "file:///")))));
        assertThat((Long) stats.get("averageDataFileBytes")).isPositive();
        assertThat(maintain("m.absent", "stats", "")).containsEntry("outcome", "skipped");
        assertThat(maintain("m.absent", "expireSnapshots", "")).containsEntry("outcome", "skipped");
    }

    @Test
    void aRestartedProducerStillRecognizesARedeliveryAfterExpiryAndRewrites() throws Exception {
        String table = "m.dedup";
        String ingest = uri(table, "&dedupWindowSeconds=600");
        for (int i = 0; i < 5; i++) {
            template.sendBody(ingest, List.of(event("d" + i)));
        }
        maintain(table, "rewriteManifests", "&maxManifests=1");
        assertThat(maintain(table, "expireSnapshots", "&maxSnapshots=1&minSnapshotAgeMs=0"))
                .containsEntry("expiredSnapshots", 5L);

        try (DefaultCamelContext restarted = new DefaultCamelContext()) {
            restarted.start();
            ProducerTemplate producer = restarted.createProducerTemplate();
            // the first event's only snapshot is gone, and a manifest rewrite came after it
            producer.sendBody(ingest, List.of(event("d0"), event("new")));
            // and after a rewrite the same process made no commit for: still recognized
            maintain(table, "rewriteManifests", "&maxManifests=1");
            producer.sendBody(ingest, List.of(event("d1"), event("new")));
        }

        List<String> ids = new ArrayList<>();
        for (String row : rows(table(table))) {
            ids.add(row.split(" ")[1]);
        }
        assertThat(ids).containsExactlyInAnyOrder("d0", "d1", "d2", "d3", "d4", "new");
    }
}
