package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.InputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default's catalog against Iceberg's own JDBC catalog on the same SQLite file: what one commits, the
 * other reads, and a table does not read back the metadata.json it has just written.
 */
class CachingJdbcCatalogTest {

    private static final TableIdentifier ID = TableIdentifier.of("db", "t");

    @TempDir
    Path dir;
    private Catalog caching;
    private Catalog iceberg;

    /** Counts the metadata.json files opened for reading, in this JVM. */
    public static class CountingFileIO extends HadoopFileIO {

        static final AtomicInteger METADATA_READS = new AtomicInteger();

        @Override
        public InputFile newInputFile(String path) {
            if (path.endsWith(".metadata.json")) {
                METADATA_READS.incrementAndGet();
            }
            return super.newInputFile(path);
        }
    }

    @BeforeEach
    void catalogs() {
        Map<String, String> props = new HashMap<>(Map.of("uri",
                "jdbc:sqlite:" + dir.resolve("catalog.db") + "?journal_mode=WAL&busy_timeout=5000", "warehouse",
                dir.resolve("warehouse").toString(), "io-impl", CountingFileIO.class.getName()));
        props.put("catalog-impl", CachingJdbcCatalog.class.getName());
        caching = CatalogUtil.buildIcebergCatalog("floe", props, ForklessLocalFileSystem.configuration());
        props.remove("catalog-impl");
        props.put("type", "jdbc");
        iceberg = CatalogUtil.buildIcebergCatalog("floe", props, ForklessLocalFileSystem.configuration());
        ((SupportsNamespaces) caching).createNamespace(Namespace.of("db"));
    }

    @AfterEach
    void close() throws Exception {
        ((AutoCloseable) caching).close();
        ((AutoCloseable) iceberg).close();
    }

    private static DataFile file(Table table, int n) {
        return DataFiles.builder(PartitionSpec.unpartitioned()).withPath(table.location() + "/data/f" + n + ".parquet")
                .withFileSizeInBytes(100).withRecordCount(1).build();
    }

    @Test
    void ownCommitsAreNotReadBackAndOthersReadThemAsIcebergWroteThem() {
        Table table = caching.createTable(ID, EventTableLayout.SCHEMA, PartitionSpec.unpartitioned(),
                Map.of(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "3",
                        TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true"));
        table.refresh();
        List<String> locations = new ArrayList<>();
        CountingFileIO.METADATA_READS.set(0);
        for (int i = 0; i < 6; i++) {
            table.newAppend().appendFile(file(table, i)).commit();
            table.refresh();
            locations.add(((HasTableOperations) table).operations().current().metadataFileLocation());
        }

        assertThat(CountingFileIO.METADATA_READS.get()).as("metadata.json files read back").isZero();
        TableMetadata fresh = ((HasTableOperations) iceberg.loadTable(ID)).operations().current();
        TableMetadata kept = ((HasTableOperations) table).operations().current();
        assertThat(fresh.metadataFileLocation()).isEqualTo(locations.get(5)).isEqualTo(kept.metadataFileLocation());
        assertThat(fresh.snapshots()).extracting(Snapshot::snapshotId)
                .containsExactlyElementsOf(kept.snapshots().stream().map(Snapshot::snapshotId).toList())
                .hasSize(6);
        // the metadata log goes on from commit to commit, and delete-after-commit keeps 3 previous files
        assertThat(fresh.previousFiles()).extracting(TableMetadata.MetadataLogEntry::file)
                .containsExactlyElementsOf(locations.subList(2, 5));
        assertThat(kept.previousFiles()).isEqualTo(fresh.previousFiles());
        assertThat(Files.exists(Path.of(locations.get(0)))).isFalse();
        assertThat(Files.exists(Path.of(locations.get(4)))).isTrue();
    }

    @Test
    void anotherWritersCommitIsReadAndAStaleCommitIsRetriedOnTopOfIt() {
        Table ours = caching.createTable(ID, EventTableLayout.SCHEMA, PartitionSpec.unpartitioned());
        ours.newAppend().appendFile(file(ours, 0)).commit();
        ours.refresh();
        Table theirs = iceberg.loadTable(ID);
        theirs.newAppend().appendFile(file(theirs, 1)).commit();

        // ours still holds the old metadata: Iceberg's commit fails the compare-and-set, refreshes and tries again
        ours.newAppend().appendFile(file(ours, 2)).commit();

        Table fresh = iceberg.loadTable(ID);
        assertThat(fresh.snapshots()).hasSize(3);
        assertThat(fresh.currentSnapshot().summary()).containsEntry("total-data-files", "3");
        ours.refresh();
        assertThat(ours.currentSnapshot().snapshotId()).isEqualTo(fresh.currentSnapshot().snapshotId());
        theirs.refresh();
        assertThat(theirs.currentSnapshot().snapshotId()).isEqualTo(fresh.currentSnapshot().snapshotId());
    }

    @Test
    void aDroppedTableIsGone() {
        Table ours = caching.createTable(ID, EventTableLayout.SCHEMA, PartitionSpec.unpartitioned());
        ours.newAppend().appendFile(file(ours, 0)).commit();
        iceberg.dropTable(ID, false);

        assertThat(caching.tableExists(ID)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(ours::refresh)
                .isInstanceOf(org.apache.iceberg.exceptions.NoSuchTableException.class);
    }
}
