package dev.floe.camel.iceberg;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.cloudevents.CloudEvent;
import org.apache.hadoop.fs.FSError;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Writes the rows of a table's {@link StagedBatch}es into open data files as they arrive, on the table's lane thread,
 * and closes a batch's files for its commit. Not thread-safe: one per {@link TableWriter}, used from its lane.
 * <p>
 * Duplicates are dropped as a commit drops them: an event already in the batch or in the table's dedup window. An event
 * that another batch holds and has not settled yet is held for the commit to judge. A batch is settled when its commit
 * succeeded or failed, or when it was closed without reaching a commit.
 */
final class RowStager {

    private final TableIdentifier id;
    private final IcebergConfiguration conf;
    // the table's dedup window; null when off
    private final RecentEvents recent;
    private final boolean dedup;
    // the key of every event staged and not settled, to the batch that holds it
    private final Map<String, StagedBatch> pending = new HashMap<>();
    private final Set<StagedBatch> open = Collections.newSetFromMap(new IdentityHashMap<>());

    RowStager(TableIdentifier id, IcebergConfiguration conf, RecentEvents recent) {
        this.id = id;
        this.conf = conf;
        this.recent = recent;
        this.dedup = conf.isDedup();
    }

    /**
     * Whether rows go into files before the commit: appends of the envelope or a declared schema to an unpartitioned
     * table. An upsert's deletes, inferred typed columns (the commit evolves the table first) and partitioned tables
     * (written clustered by partition, see {@link DataFileWriter#clustered}) need the whole batch: those rows are held.
     */
    private boolean early(Table table) {
        return !"upsert".equals(conf.getWriteMode()) && !"inferred".equals(conf.getSchemaMode())
                && table.spec().isUnpartitioned();
    }

    /** Writes (or holds) whatever rows have arrived in the batch since last time. */
    void stage(StagedBatch batch, Supplier<Table> table) {
        if (open.add(batch)) {
            sweepClosed();
        }
        List<?> rows;
        while ((rows = batch.nextArrived()) != null) {
            if (batch.failure != null || batch.isClosed()) {
                continue; // a failed batch commits nothing; a closed one was given up
            }
            try {
                write(batch, rows, table.get());
            } catch (IcebergWriteException e) {
                fail(batch, e);
            } catch (IOException | RuntimeException e) {
                fail(batch, new IcebergWriteException(id, "-", "write", e));
            } catch (FSError e) {
                fail(batch, new IcebergWriteException(id, "-", "write", DataFileWriter.ioFailure(e)));
            }
        }
        if (batch.isClosed() && batch.failure == null) {
            fail(batch, new IcebergWriteException(id, "-", "write",
                    new IllegalStateException("the batch was closed before its commit")));
        }
    }

    /**
     * Writes what is still waiting and closes the batch's files, for its commit.
     *
     * @return the batch's data files
     * @throws IcebergWriteException when a row could not be converted or written
     */
    List<DataFile> finish(StagedBatch batch, Supplier<Table> table) {
        stage(batch, table);
        if (batch.failure != null) {
            throw batch.failure;
        }
        if (batch.open != null) {
            try {
                batch.files.addAll(Arrays.asList(batch.open.complete().dataFiles()));
            } catch (IOException | RuntimeException e) {
                fail(batch, new IcebergWriteException(id, "-", "write", e));
                throw batch.failure;
            } catch (FSError e) {
                fail(batch, new IcebergWriteException(id, "-", "write", DataFileWriter.ioFailure(e)));
                throw batch.failure;
            } finally {
                batch.open = null;
            }
        }
        return batch.files;
    }

    /**
     * For a commit: writes what a staged batch still has waiting and closes its files, its dedup keys joining
     * {@code seen} (null: no dedup) and {@code batchKeys}.
     *
     * @return its data files (none for a List body)
     * @throws IcebergWriteException naming the batch, when a row could not be converted or written
     */
    List<DataFile> finish(PendingBatch batch, Supplier<Table> table, Set<String> seen, List<String> batchKeys) {
        StagedBatch staged = batch.staged();
        if (staged == null) {
            return List.of();
        }
        try {
            List<DataFile> files = finish(staged, table);
            if (seen != null) {
                seen.addAll(staged.keys);
                batchKeys.addAll(staged.keys);
            }
            return files;
        } catch (IcebergWriteException e) {
            throw new IcebergWriteException(id, batch.batchId(), e.getAction(), e.getCause());
        }
    }

    /** Staged batches of a commit that will not commit them: their files are deleted. */
    void discard(List<PendingBatch> batches, Table table) {
        batches.stream().filter(b -> b.staged() != null).forEach(b -> discard(b.staged(), table));
    }

    /** The staged batches of a commit that was tried, whatever its outcome (the committer keeps files in doubt). */
    void settled(List<PendingBatch> batches) {
        batches.stream().filter(b -> b.staged() != null).forEach(b -> settled(b.staged()));
    }

    /** The batch committed (its keys are in the dedup window now) or failed (its files were deleted if unused). */
    void settled(StagedBatch batch) {
        batch.keys.forEach(key -> pending.remove(key, batch));
        open.remove(batch);
    }

    /** The batch will not commit: its files go, and its events no longer count as staged. */
    void discard(StagedBatch batch, Table table) {
        abort(batch);
        if (table != null) {
            // files exist only once finish closed them, after the table was loaded
            DataFileWriter.delete(table.io(), batch.files);
        }
        batch.files.clear();
        settled(batch);
    }

    private void write(StagedBatch batch, List<?> rows, Table table) throws IOException {
        if (batch.open == null && batch.files.isEmpty() && batch.held.isEmpty() && early(table)) {
            batch.open = DataFileWriter.openAppend(table, conf.getTargetFileSizeBytes());
            batch.schema = table.schema();
        }
        if (batch.open == null) {
            batch.held.addAll(rows);
            return;
        }
        RowConverter converter = new RowConverter(batch.schema, OffsetDateTime.now(ZoneOffset.UTC),
                new EventJson(false, conf.limits()));
        for (int i = 0; i < rows.size(); i++) {
            Object row = rows.get(i);
            if (dedup && row instanceof CloudEvent event && !admit(batch, RecentEvents.key(event), row)) {
                continue;
            }
            try {
                batch.open.write(converter.convert(row));
            } catch (RuntimeException e) {
                throw new IcebergWriteException(id, "-", "convert",
                        new IllegalArgumentException("row " + (batch.written + i) + ": " + e.getMessage(), e));
            }
        }
        batch.written += rows.size();
    }

    /**
     * Whether the row is to be written now: not if the batch or the dedup window has its event already (it is dropped),
     * nor if another batch that has not settled holds it. That batch may never commit: a Kafka replay after a rewind
     * reads again what a stale batch holds, and that batch's commit is then refused. So the row is held, and the
     * commit judges it once the other batch has settled, as it judges a List body's rows.
     */
    private boolean admit(StagedBatch batch, String key, Object row) {
        StagedBatch holder = pending.get(key);
        if (holder == batch || recent != null && recent.contains(key)) {
            return false;
        }
        if (holder != null && holder.failure == null && !holder.isClosed()) {
            batch.held.add(row);
            return false;
        }
        pending.put(key, batch);
        batch.keys.add(key);
        return true;
    }

    private void fail(StagedBatch batch, IcebergWriteException e) {
        batch.failure = e;
        abort(batch);
        settled(batch);
    }

    private static void abort(StagedBatch batch) {
        if (batch.open != null) {
            try {
                batch.open.abort(); // deletes the files it wrote
            } catch (IOException | RuntimeException e) {
                // an orphan file is harmless; orphan-file removal collects it
            } finally {
                batch.open = null;
            }
        }
    }

    /** Batches closed without reaching a commit (their exchange failed earlier in the route) stop holding keys. */
    private void sweepClosed() {
        for (StagedBatch batch : List.copyOf(open)) {
            if (batch.isClosed()) {
                stage(batch, () -> null);
            }
        }
    }
}
