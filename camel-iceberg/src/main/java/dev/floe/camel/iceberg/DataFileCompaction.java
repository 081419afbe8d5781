package dev.floe.camel.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.fs.FSError;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code compact} operation: bin-packs the small data files of each partition into files of the target size, with
 * their deletes applied, and swaps them in with one Iceberg {@code RewriteFiles}, on the caller's thread.
 * <p>
 * Ingest keeps committing meanwhile and always wins: the rewritten files keep the sequence number of the snapshot they
 * were read from, so equality deletes an upsert commits meanwhile still apply to their rows; the commit is validated
 * from that snapshot (a new position delete on a replaced file refuses it) and carries the watermarks read there,
 * refused if an ingest commit moved them. A refused commit is a {@code conflict}: its new files are deleted, since
 * nothing references them, and the next run starts over.
 */
final class DataFileCompaction {

    private static final Logger LOG = LoggerFactory.getLogger(DataFileCompaction.class);
    static final long DEFAULT_TARGET_FILE_SIZE_BYTES = 128L * 1024 * 1024;

    private final TableIdentifier id;
    private final Table table;
    private final IcebergConfiguration conf;

    /** Read, planned and written from one snapshot, not yet committed. */
    record Rewrite(Snapshot start, CarriedWatermarks carried, CompactionPlan plan, List<DataFile> added) {
    }

    DataFileCompaction(TableIdentifier id, Table table, IcebergConfiguration conf) {
        this.id = id;
        this.table = table;
        this.conf = conf;
    }

    /** Runs one compaction of the table: the figures of the contract. */
    Map<String, Object> run() {
        return commit(prepare());
    }

    long targetBytes() {
        if (conf.getTargetFileSizeBytes() != null) {
            return conf.getTargetFileSizeBytes();
        }
        return PropertyUtil.propertyAsLong(table.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                DEFAULT_TARGET_FILE_SIZE_BYTES);
    }

    /** Plans the current snapshot and writes the new files; nothing is committed. Null when the table is empty. */
    Rewrite prepare() {
        Snapshot start = table.currentSnapshot();
        if (start == null) {
            return null;
        }
        List<FileScanTask> tasks = new ArrayList<>();
        try (CloseableIterable<FileScanTask> planned = table.newScan().useSnapshot(start.snapshotId())
                .planWith(BatchCommitter.ON_LANE_THREAD).planFiles()) {
            planned.forEach(tasks::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long target = targetBytes();
        CompactionPlan plan = CompactionPlan.of(table.specs(), tasks, deleteFiles(start), target,
                conf.getMinInputFiles(), conf.getMaxCompactionBytes());
        CarriedWatermarks carried = CarriedWatermarks.of(SnapshotUtil.ancestorsOf(start.snapshotId(), table::snapshot));
        if (plan.isEmpty()) {
            return new Rewrite(start, carried, plan, List.of());
        }
        try {
            return new Rewrite(start, carried, plan, new CompactionWriter(table, target).write(plan.bins()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Swaps the rewrite in; {@code conflict} (its files deleted) when ingest got in the way. */
    Map<String, Object> commit(Rewrite rewrite) {
        if (rewrite == null || rewrite.plan().isEmpty()) {
            return figures(id, "nothing-to-do", 0, 0, 0, 0);
        }
        CompactionPlan plan = rewrite.plan();
        RewriteFiles update = table.newRewrite().validateFromSnapshot(rewrite.start().snapshotId());
        if (TableUtil.formatVersion(table) >= 2) {
            // the rows keep their place in the table's history: deletes committed after the start still apply
            update.dataSequenceNumber(rewrite.start().sequenceNumber());
        }
        plan.replaced().forEach(t -> update.deleteFile(t.file()));
        rewrite.added().forEach(update::addFile);
        plan.removableDeletes().forEach(update::deleteFile);
        update.scanManifestsWith(BatchCommitter.ON_LANE_THREAD);
        update.writeManifestsWith(BatchCommitter.ON_LANE_THREAD, 1);
        rewrite.carried().writeTo(update);
        update.validateWith(new WatermarksUnchanged(rewrite.carried()));
        try {
            update.commit();
        } catch (ValidationException | CommitFailedException e) {
            // refused before anything was applied: the new files are referenced by nothing
            LOG.info("Compaction of {} gave way to ingest: {}", id, e.getMessage());
            DataFileWriter.delete(table.io(), rewrite.added());
            return figures(id, "conflict", 0, 0, 0, 0);
        } catch (FSError e) {
            throw DataFileWriter.ioFailure(e); // outcome unknown: the files are kept for orphan cleanup
        }
        Map<String, Object> done = figures(id, "done", plan.replaced().size(), rewrite.added().size(),
                plan.removableDeletes().size(), plan.replacedBytes());
        LOG.info("Compacted {}: {}", id, done);
        return done;
    }

    /** Every live delete file of the snapshot, including those that apply to no data file any more. */
    private List<DeleteFile> deleteFiles(Snapshot snapshot) {
        List<DeleteFile> found = new ArrayList<>();
        for (ManifestFile manifest : snapshot.deleteManifests(table.io())) {
            try (ManifestReader<DeleteFile> reader = ManifestFiles.readDeleteManifest(manifest, table.io(),
                    table.specs())) {
                // the reader reuses its objects
                reader.forEach(file -> found.add(file.copy()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    static Map<String, Object> figures(TableIdentifier id, String outcome, int rewritten, int added,
            int removedDeletes, long rewrittenBytes) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("operation", "compact");
        figures.put("table", id.toString());
        figures.put("outcome", outcome);
        figures.put("rewrittenDataFiles", rewritten);
        figures.put("addedDataFiles", added);
        figures.put("removedDeleteFiles", removedDeletes);
        figures.put("rewrittenBytes", rewrittenBytes);
        return figures;
    }
}
