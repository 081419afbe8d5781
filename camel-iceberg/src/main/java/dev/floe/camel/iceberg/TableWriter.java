package dev.floe.camel.iceberg;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends groups of batches to one table: resolve the table, evolve its typed columns, convert each batch's rows,
 * write the data files, commit once. A batch whose rows do not fit fails alone and the others of its group still
 * commit, unless the group claims source offsets: then the whole group fails, because later claims cover its rows.
 * Not thread-safe: the producer uses one instance per table from the table's lane, and another for validation.
 */
final class TableWriter {

    private static final Logger LOG = LoggerFactory.getLogger(TableWriter.class);

    private final IcebergEndpoint endpoint;
    private final IcebergConfiguration conf;
    private final TableIdentifier id;
    private final BatchCommitter committer;
    private final RowStager stager;
    private Table table;
    private long refreshedAt;
    // the table's dedup window, shared with every writer of the table in this process; null when off
    private final RecentEvents recent;
    // what a JSON member name must look like to become an inferred column
    private final Pattern columnNames;
    // for validation: the payload type of the table merged with every batch validated so far
    private Types.StructType accepted = Types.StructType.of();
    private long acceptedAt = System.nanoTime();
    private static final long ACCEPTED_TTL_NANOS = 30_000_000_000L;

    TableWriter(IcebergEndpoint endpoint, TableIdentifier id) {
        this.endpoint = endpoint;
        this.conf = endpoint.getConfiguration();
        this.columnNames = Pattern.compile(conf.getInferredColumnPattern());
        this.id = id;
        this.committer = new BatchCommitter(id, conf.getCommitRetries(), conf.getCommitRetryDelay(),
                conf.getCommitReconcileTimeout());
        this.recent = conf.getDedupWindowSeconds() > 0 && conf.isDedup() && !upsert()
                ? endpoint.getComponent().dedupWindow(endpoint, id)
                : null;
        this.stager = new RowStager(id, conf, recent);
    }

    /** Writes (or holds) the rows that have arrived in a staged batch; on the table's lane. */
    void stage(StagedBatch batch) {
        stager.stage(batch, () -> table != null ? table : currentTable("-"));
    }

    /** What happened to each batch of a group. */
    record Outcome(Long snapshotId, int dataFiles, long dataFileBytes, Map<PendingBatch, Integer> rows,
            Map<PendingBatch, RuntimeException> failures) {
    }

    Outcome append(List<PendingBatch> group) {
        Map<PendingBatch, Integer> rows = new IdentityHashMap<>();
        Map<PendingBatch, RuntimeException> failures = new IdentityHashMap<>();
        Table current;
        EventJson json = new EventJson(upsert(), conf.limits());
        try {
            current = currentTable(group.get(0).batchId());
            // what staged batches still have waiting is written (or held) in the table as it now is
            group.stream().filter(b -> b.staged() != null).forEach(b -> stager.stage(b.staged(), () -> table));
            if (inferred()) {
                evolve(current, group, failures, json);
            }
        } catch (RuntimeException e) {
            group.forEach(b -> failures.put(b, e));
            stager.discard(group, table);
            return new Outcome(null, 0, 0, rows, failures);
        }
        RowConverter converter = new RowConverter(current.schema(), OffsetDateTime.now(ZoneOffset.UTC), json);
        List<Record> records = new ArrayList<>();
        BitSet deletes = new BitSet();
        List<PendingBatch> committing = new ArrayList<>();
        Set<String> seen = conf.isDedup() && !upsert() ? new HashSet<>() : null;
        List<String> committingKeys = new ArrayList<>();
        List<DataFile> stagedFiles = new ArrayList<>();
        for (PendingBatch batch : group) {
            if (failures.containsKey(batch)) {
                stager.discard(List.of(batch), table);
                continue;
            }
            List<String> batchKeys = new ArrayList<>();
            try {
                List<DataFile> staged = stager.finish(batch, () -> table, seen, batchKeys);
                List<Record> converted = convert(converter, json, batch, seen, batchKeys, deletes, records.size());
                records.addAll(converted);
                // duplicates dropped by dedup are in the table all the same: they count as written
                rows.put(batch, batch.size());
                committing.add(batch);
                committingKeys.addAll(batchKeys);
                stagedFiles.addAll(staged);
            } catch (IcebergWriteException e) {
                // the failed batch's rows are not kept, nor are its delete marks, its dedup keys or its files
                deletes.clear(records.size(), Math.max(records.size(), deletes.length()));
                if (seen != null) {
                    batchKeys.forEach(seen::remove);
                }
                stager.discard(List.of(batch), table);
                failures.put(batch, e);
            }
        }
        SourceOffsets offsets = group.get(0).offsets();
        if (offsets != null && !failures.isEmpty()) {
            // a batch that claims offsets must not be skipped: the claims of the batches after it cover its rows
            RuntimeException first = failures.values().iterator().next();
            group.forEach(b -> failures.putIfAbsent(b, new IcebergWriteException(id, b.batchId(), "write",
                    new IllegalStateException("an earlier batch of its commit failed: " + first.getMessage(), first))));
            stager.discard(group, table);
            return new Outcome(null, 0, 0, rows, failures);
        }
        for (int i = 1; offsets != null && i < committing.size(); i++) {
            offsets = offsets.then(committing.get(i).offsets());
        }
        if (records.isEmpty() && stagedFiles.isEmpty() && offsets == null) {
            stager.settled(committing);
            return new Outcome(null, 0, 0, rows, failures);
        }
        String batchIds = committing.stream().map(PendingBatch::batchId).collect(Collectors.joining(","));
        try {
            WriteResult written;
            try {
                // no rows (all deduplicated) but offsets: an empty commit still moves the watermark
                written = records.isEmpty()
                        ? WriteResult.builder().build()
                        : DataFileWriter.write(current, records, deletes, upsert() ? keySchema(current) : null,
                                conf.getTargetFileSizeBytes());
            } catch (IcebergWriteException e) {
                throw e;
            } catch (Exception e) {
                throw new IcebergWriteException(id, batchIds, "write", e);
            }
            List<DataFile> files = new ArrayList<>(stagedFiles);
            files.addAll(Arrays.asList(written.dataFiles()));
            long snapshotId = committer.commit(current, batchIds, files, Arrays.asList(written.deleteFiles()),
                    offsets);
            if (recent != null) {
                recent.committed(snapshotId, committingKeys);
            }
            long bytes = files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
            LOG.debug("Committed {} batches to {}: {} rows, {} files, snapshot {}", committing.size(), id,
                    records.size(), files.size(), snapshotId);
            return new Outcome(snapshotId, files.size(), bytes, rows, failures);
        } catch (RuntimeException e) {
            // a commit whose outcome stayed unknown is not ours to the window: if it landed, catchUp reads it back
            committing.forEach(b -> failures.put(b, e));
            return new Outcome(null, 0, 0, rows, failures);
        } finally {
            // the committer deleted the files of a commit proven absent, and keeps them in doubt
            stager.settled(committing);
        }
    }

    /**
     * Checks that the rows would fit the table, evolution included, without writing anything.
     *
     * @throws IncompatibleSchemaException or IllegalArgumentException naming the field
     */
    void validate(List<?> rows) {
        if (upsert()) {
            // an upsert's op is checked where the event is read, so a bad one fails alone, not its whole commit
            EventJson.requireKnownOps(rows, conf.limits());
        }
        if (!inferred() && !"declared".equals(conf.getSchemaMode())) {
            return; // the envelope layout takes any CloudEvent
        }
        try {
            validate(rows, existingTable(false));
        } catch (IncompatibleSchemaException e) {
            // the cached schema may be behind a replica's evolution: judge again on a fresh one
            validate(rows, existingTable(true));
        }
    }

    private void validate(List<?> rows, Table current) {
        if (inferred()) {
            // judge against the table plus everything already accepted here and maybe not committed yet, so two
            // requests in flight that give a new field two types cannot both pass and then fail their shared batch
            Types.StructType table = payloadType(current);
            long now = System.nanoTime();
            if (now - acceptedAt > ACCEPTED_TTL_NANOS) {
                // whatever was accepted that long ago has committed, or never will (429, failed batch)
                accepted = table;
            }
            try {
                accepted = PayloadSchemas.merge(accepted, table);
            } catch (IncompatibleSchemaException e) {
                accepted = table; // something accepted here never committed and the table went another way
            }
            Types.StructType widened = PayloadSchemas.merge(accepted,
                    inferBatch(rows, new EventJson(upsert(), conf.limits())));
            requireColumnCap(widened);
            if (!widened.equals(accepted)) {
                accepted = widened;
                acceptedAt = now;
            }
            return;
        }
        RowConverter converter = new RowConverter(current != null
                ? current.schema()
                : TableResolver.schemaFor(endpoint.getCamelContext(), conf), OffsetDateTime.now(ZoneOffset.UTC));
        for (int i = 0; i < rows.size(); i++) {
            try {
                converter.convert(rows.get(i));
            } catch (RuntimeException e) {
                throw new IncompatibleSchemaException(
                        "row " + i + " does not fit the declared schema: " + e.getMessage());
            }
        }
    }

    /**
     * The table if it exists (null: it will be created, so only the rows' own consistency can be checked). Refreshed
     * at most once a second unless forced, so validating every request does not read the catalog every time.
     */
    private Table existingTable(boolean forceRefresh) {
        long now = System.nanoTime();
        if (table == null) {
            try {
                table = endpoint.catalog().loadTable(id);
                refreshedAt = now;
            } catch (NoSuchTableException e) {
                return null;
            }
        } else if (forceRefresh || now - refreshedAt > 1_000_000_000L) {
            table.refresh();
            refreshedAt = now;
        }
        return table;
    }

    private boolean upsert() {
        return "upsert".equals(conf.getWriteMode());
    }

    /** The identifier columns, as the schema of the equality deletes. */
    private Schema keySchema(Table current) {
        if (conf.getIdentifierFields() == null || conf.getIdentifierFields().isBlank()) {
            throw new IcebergWriteException(id, "-", "write",
                    new IllegalArgumentException(
                            "writeMode=upsert needs identifierFields, e.g. source,id or payload.id"));
        }
        Set<Integer> ids = new HashSet<>();
        for (String name : conf.getIdentifierFields().split(",")) {
            Types.NestedField field = current.schema().findField(name.trim());
            if (field == null || !field.type().isPrimitiveType()) {
                throw new IcebergWriteException(id, "-", "write", new IllegalArgumentException(
                        "identifier field '" + name.trim() + "' is not a primitive column of the table"));
            }
            ids.add(field.fieldId());
        }
        return TypeUtil.select(current.schema(), ids);
    }

    private boolean inferred() {
        return "inferred".equals(conf.getSchemaMode());
    }

    private void evolve(Table current, List<PendingBatch> group, Map<PendingBatch, RuntimeException> failures,
            EventJson json) {
        boolean hasPayload = current.schema().findField(PayloadSchemas.PAYLOAD) != null;
        Types.StructType payload = payloadType(current);
        Types.StructType target = payload;
        for (PendingBatch batch : group) {
            try {
                Types.StructType widened = PayloadSchemas.merge(target, inferBatch(batch.rows(), json));
                requireColumnCap(widened);
                target = widened;
            } catch (IncompatibleSchemaException e) {
                failures.put(batch, new IcebergWriteException(id, batch.batchId(), "convert", e));
            }
        }
        List<String> nowOptional = new ArrayList<>();
        if (hasPayload) {
            for (PendingBatch batch : group) {
                for (Object row : batch.rows()) {
                    JsonNode data = row instanceof CloudEvent event ? json.payload(event) : null;
                    if (data != null) {
                        nowOptional.addAll(PayloadSchemas.missingRequired(payload, data, PayloadSchemas.PAYLOAD));
                    }
                }
            }
        }
        if (target.fields().isEmpty() || target.equals(payload) && nowOptional.isEmpty()) {
            return;
        }
        UpdateSchema update = current.updateSchema();
        PayloadSchemas.apply(update, hasPayload ? payload : null, target);
        nowOptional.stream().distinct().forEach(update::makeColumnOptional);
        update.commit();
        current.refresh();
        LOG.info("Evolved the typed columns of {}: payload is now {}", id,
                current.schema().findField(PayloadSchemas.PAYLOAD).type());
    }

    private static Types.StructType payloadType(Table current) {
        Types.NestedField payload = current == null ? null : current.schema().findField(PayloadSchemas.PAYLOAD);
        return payload == null ? Types.StructType.of() : payload.type().asStructType();
    }

    /** Every new JSON member would become a permanent column: the table may gain only so many. */
    private void requireColumnCap(Types.StructType payload) {
        int columns = PayloadSchemas.columnCount(payload);
        if (columns > conf.getMaxInferredColumns()) {
            throw new IncompatibleSchemaException("the events would give the table " + columns
                    + " inferred columns, more than the limit maxInferredColumns (" + conf.getMaxInferredColumns()
                    + ")");
        }
    }

    private Types.StructType inferBatch(List<?> rows, EventJson json) {
        Types.StructType merged = Types.StructType.of();
        for (Object row : rows) {
            JsonNode data = row instanceof CloudEvent event ? json.payload(event) : null;
            if (data != null) {
                merged = PayloadSchemas.merge(merged, PayloadSchemas.infer(data, columnNames, ""));
                // as soon as the batch alone is over the cap: merging on would cost time for nothing
                requireColumnCap(merged);
            }
        }
        return merged;
    }

    private Table currentTable(String batchId) {
        try {
            if (table == null) {
                table = TableResolver.loadOrCreate(endpoint.catalog(), id, conf, endpoint.getCamelContext());
            } else {
                // another writer (a replica, an operator) may have committed or evolved the table
                table.refresh();
            }
            if (recent != null) {
                recent.catchUp(table);
            }
            return table;
        } catch (IcebergWriteException e) {
            throw e;
        } catch (RuntimeException e) {
            table = null;
            throw new IcebergWriteException(id, batchId, "load", e);
        }
    }

    /**
     * @param seen keys already in this commit (null: no dedup); the keys this batch adds go to {@code batchKeys}
     */
    private List<Record> convert(RowConverter converter, EventJson json, PendingBatch batch, Set<String> seen,
            List<String> batchKeys, BitSet deletes, int offset) {
        List<?> input = batch.rows();
        List<Record> records = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            Object row = input.get(i);
            if (seen != null && row instanceof CloudEvent event) {
                String key = RecentEvents.key(event);
                if (!seen.add(key) || recent != null && recent.contains(key)) {
                    continue; // in this commit already, or in the table within the dedup window
                }
                batchKeys.add(key);
            }
            try {
                if (upsert() && row instanceof CloudEvent event && json.isDelete(event)) {
                    deletes.set(offset + records.size());
                }
                records.add(converter.convert(row));
            } catch (RuntimeException e) {
                throw new IcebergWriteException(id, batch.batchId(), "convert",
                        new IllegalArgumentException("row " + i + ": " + e.getMessage(), e));
            }
        }
        return records;
    }
}
