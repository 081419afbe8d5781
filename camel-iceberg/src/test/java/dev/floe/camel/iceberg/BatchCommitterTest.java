package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.LocationProviders;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchCommitterTest {

    private static final TableIdentifier ID = TableIdentifier.of("db", "t");
    private Table table;

    @BeforeEach
    void createTable() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        catalog.initialize("mem", Map.of());
        catalog.createNamespace(Namespace.of("db"));
        // only our retries, not Iceberg's inner ones, so the test stays fast
        table = catalog.createTable(ID, EventTableLayout.SCHEMA, PartitionSpec.unpartitioned(),
                Map.of(TableProperties.COMMIT_NUM_RETRIES, "0"));
    }

    private List<DataFile> files(Table target) throws Exception {
        Record row = new RowConverter(target.schema(), OffsetDateTime.now()).convert(CloudEventBuilder.v1()
                .withId("1").withSource(URI.create("/s")).withType("t").build());
        return DataFileWriter.write(target, List.of(row), null);
    }

    @Test
    void unknownCommitStateThatLandedIsReconciledNotAppendedTwice() throws Exception {
        FlakyOps ops = new FlakyOps(table, Outcome.COMMIT_THEN_UNKNOWN, 1);
        Table flaky = new BaseTable(ops, "flaky");

        long snapshotId = new BatchCommitter(ID, 3, 1, 1_000).commit(flaky, "batch-1", files(flaky));

        table.refresh();
        assertThat(snapshots(table)).singleElement().satisfies(s -> {
            assertThat(s.snapshotId()).isEqualTo(snapshotId);
            assertThat(s.summary()).containsEntry(IcebergConstants.SUMMARY_BATCH_ID, "batch-1");
            assertThat(s.summary()).containsEntry("added-records", "1");
        });
        assertThat(ops.commits.get()).isEqualTo(1);
    }

    @Test
    void aTryThatLandedInASnapshotExpiredSinceIsNeitherAppendedTwiceNorDeleted() throws Exception {
        FlakyOps ops = new FlakyOps(table, Outcome.COMMIT_THEN_EXPIRED_THEN_UNKNOWN, 1);
        Table flaky = new BaseTable(ops, "flaky");
        List<DataFile> batch = files(flaky);
        ops.concurrently = () -> {
            // another writer commits on top, then expiry removes the snapshot that holds the batch (its files live on
            // in the newer snapshot's manifests)
            table.refresh();
            long landed = table.currentSnapshot().snapshotId();
            try {
                DataFile other = files(table).get(0);
                table.newAppend().appendFile(other).commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            table.expireSnapshots().expireSnapshotId(landed).cleanExpiredFiles(false).commit();
        };

        assertThatThrownBy(() -> new BatchCommitter(ID, 3, 1, 1_000).commit(flaky, "batch-x", batch))
                .isInstanceOf(CommitOutcomeUnknownException.class);

        table.refresh();
        assertThat(table.currentSnapshot().summary()).as("the batch once, the other writer's row once")
                .containsEntry("total-records", "2");
        assertThat(ops.commits.get()).as("no second try").isEqualTo(1);
        assertThat(batch).allSatisfy(f -> assertThat(table.io().newInputFile(f.location()).exists())
                .as("the batch's files are kept: the table references them").isTrue());
    }

    @Test
    void conflictIsRetriedUntilItCommits() throws Exception {
        FlakyOps ops = new FlakyOps(table, Outcome.CONFLICT, 2);
        Table flaky = new BaseTable(ops, "flaky");

        new BatchCommitter(ID, 3, 1, 1_000).commit(flaky, "batch-2", files(flaky));

        table.refresh();
        assertThat(snapshots(table)).singleElement()
                .satisfies(s -> assertThat(s.summary()).containsEntry(IcebergConstants.SUMMARY_BATCH_ID, "batch-2"));
    }

    @Test
    void exhaustedRetriesFailNamingTableAndBatchAndDeleteTheFiles() throws Exception {
        FlakyOps ops = new FlakyOps(table, Outcome.CONFLICT, 100);
        Table flaky = new BaseTable(ops, "flaky");
        List<DataFile> files = files(flaky);

        assertThatThrownBy(() -> new BatchCommitter(ID, 2, 1, 1_000).commit(flaky, "batch-3", files))
                .isInstanceOf(IcebergWriteException.class)
                .hasMessageContaining("db.t").hasMessageContaining("batch-3").hasMessageContaining("commit");

        table.refresh();
        assertThat(table.currentSnapshot()).isNull();
        InMemoryFileIO io = (InMemoryFileIO) table.io();
        assertThat(files).isNotEmpty().allSatisfy(f -> assertThat(io.fileExists(f.location())).isFalse());
    }

    @Test
    void aMarkMovedByAnotherWriterMeanwhileIsCarriedNotMovedBack() throws Exception {
        Table retrying = new InMemoryCatalogTable().withCommitRetries(3);
        SourceOffsets first = new SourceOffsets("kafka.g", Map.of("in/0", -1L), Map.of("in/0", 5L));
        new BatchCommitter(ID, 0, 1, 1_000).commit(retrying, "kafka-1", List.of(), List.of(), first);
        // another replica claims up to 9 between this batch's read of the marks and its swap
        SourceOffsets concurrent = new SourceOffsets("kafka.g", Map.of("in/0", 5L), Map.of("in/0", 9L));
        FlakyOps ops = new FlakyOps(retrying, Outcome.CONCURRENT_CLAIM, 1);
        ops.concurrently = () -> new BatchCommitter(ID, 0, 1, 1_000).commit(retrying, "kafka-2", List.of(),
                List.of(), concurrent);
        Table http = new BaseTable(ops, "http");
        http.refresh();

        new BatchCommitter(ID, 3, 1, 1_000).commit(http, "http-1", files(http));

        retrying.refresh();
        assertThat(retrying.currentSnapshot().summary()).containsEntry(IcebergConstants.SUMMARY_BATCH_ID, "http-1");
        assertThat(SourceOffsets.read(retrying, "kafka.g", java.util.Set.of("in/0"))).containsEntry("in/0", 9L);
    }

    /** A table of its own whose Iceberg commits retry internally, so a commit is validated again on a new base. */
    private static final class InMemoryCatalogTable {

        Table withCommitRetries(int retries) {
            InMemoryCatalog catalog = new InMemoryCatalog();
            catalog.initialize("mem2", Map.of());
            catalog.createNamespace(Namespace.of("db"));
            return catalog.createTable(ID, EventTableLayout.SCHEMA, PartitionSpec.unpartitioned(),
                    Map.of(TableProperties.COMMIT_NUM_RETRIES, String.valueOf(retries),
                            TableProperties.COMMIT_MIN_RETRY_WAIT_MS, "1"));
        }
    }

    private static List<Snapshot> snapshots(Table t) {
        List<Snapshot> all = new ArrayList<>();
        t.snapshots().forEach(all::add);
        return all;
    }

    enum Outcome {
        COMMIT_THEN_UNKNOWN, CONFLICT, CONCURRENT_CLAIM, COMMIT_THEN_EXPIRED_THEN_UNKNOWN
    }

    /** Real table operations that fail the first {@code failures} commits in a chosen way. */
    private static final class FlakyOps implements TableOperations {

        private final TableOperations delegate;
        private final Outcome outcome;
        private final AtomicInteger failuresLeft;
        private final AtomicInteger commits = new AtomicInteger();
        private Runnable concurrently = () -> {
        };

        FlakyOps(Table table, Outcome outcome, int failures) {
            this.delegate = ((HasTableOperations) table).operations();
            this.outcome = outcome;
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public TableMetadata current() {
            return delegate.current();
        }

        @Override
        public TableMetadata refresh() {
            return delegate.refresh();
        }

        @Override
        public void commit(TableMetadata base, TableMetadata metadata) {
            boolean fail = failuresLeft.getAndDecrement() > 0;
            if (fail && outcome == Outcome.CONFLICT) {
                throw new CommitFailedException("simulated conflict");
            }
            if (fail && outcome == Outcome.CONCURRENT_CLAIM) {
                concurrently.run(); // a real commit by another writer: this one's base is now stale
            }
            delegate.commit(base, metadata);
            commits.incrementAndGet();
            if (fail && outcome == Outcome.COMMIT_THEN_EXPIRED_THEN_UNKNOWN) {
                concurrently.run(); // maintenance, before the writer hears back: the landed snapshot is expired
            }
            if (fail) {
                throw new CommitStateUnknownException(new RuntimeException("simulated lost response"));
            }
        }

        @Override
        public FileIO io() {
            return delegate.io();
        }

        @Override
        public EncryptionManager encryption() {
            return delegate.encryption();
        }

        @Override
        public String metadataFileLocation(String fileName) {
            return delegate.metadataFileLocation(fileName);
        }

        @Override
        public LocationProvider locationProvider() {
            return LocationProviders.locationsFor(current().location(), current().properties());
        }
    }
}
