package dev.floe.camel.iceberg;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.hadoop.fs.FSError;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one maintenance operation on a table, on the caller's thread (never on the table's commit lane, so it never
 * queues in front of an ingest commit), and answers with the figures the route sees as its body.
 * <p>
 * Ingest always wins: a maintenance commit that loses a conflict after Iceberg's own retries gives up for this round
 * with outcome {@code conflict}; it holds no lock an ingest commit waits on.
 */
final class TableMaintenance {

    static final String DONE = "done";
    static final String NOTHING_TO_DO = "nothing-to-do";
    static final String SKIPPED = "skipped";
    static final String CONFLICT = "conflict";

    private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);

    private final IcebergEndpoint endpoint;

    TableMaintenance(IcebergEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** True for the operations this class runs (everything but append and validate). */
    static boolean handles(String operation) {
        return !"append".equals(operation) && !"validate".equals(operation);
    }

    /**
     * @return operation, table, outcome and the operation's own figures, in that order
     */
    Map<String, Object> run(String operation, TableIdentifier id) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operation", operation);
        body.put("table", id.toString());
        body.put("outcome", DONE);
        Table table;
        try {
            table = endpoint.catalog().loadTable(id);
        } catch (NoSuchTableException e) {
            // nothing written yet: nothing to maintain
            body.put("outcome", SKIPPED);
            return body;
        }
        return apply(operation, id, table, body);
    }

    /**
     * Plans and writes on the caller's thread; only the commit waits for its turn on the table's lane, so it never
     * races this process's ingest commits (it still races other replicas', and gives way on a conflict).
     */
    private Map<String, Object> compact(TableIdentifier id, Table table, IcebergConfiguration conf) {
        DataFileCompaction compaction = new DataFileCompaction(id, table, conf);
        DataFileCompaction.Rewrite rewrite = compaction.prepare();
        return betweenCommits(id, () -> compaction.commit(rewrite));
    }

    private <T> T betweenCommits(TableIdentifier id, java.util.concurrent.Callable<T> commit) {
        try {
            return endpoint.getComponent().lanes().callBetweenCommits(id, commit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the table's commit lane", e);
        }
    }

    /** Runs the operation on a loaded table; the figures go into {@code body}. */
    Map<String, Object> apply(String operation, TableIdentifier id, Table table, Map<String, Object> body) {
        IcebergConfiguration conf = endpoint.getConfiguration();
        try {
            switch (operation) {
                case "expireSnapshots" -> new SnapshotExpiry(conf).run(table, body);
                case "rewriteManifests" -> betweenCommits(id, () -> {
                    new ManifestRewrite(conf).run(table, body);
                    return body;
                });
                case "compact" -> body.putAll(compact(id, table, conf));
                case "removeOrphanFiles" -> new OrphanFileRemoval(conf).run(table, body);
                case "stats" -> TableHealth.read(table, body);
                default -> throw new IllegalArgumentException("Unknown operation '" + operation + "'");
            }
        } catch (CommitFailedException | ValidationException e) {
            LOG.info("{} on {} gave way to a concurrent commit; trying again next round: {}", operation, id,
                    e.getMessage());
            body.put("outcome", CONFLICT);
        } catch (RuntimeException e) {
            throw new IcebergWriteException(id, "-", operation, e);
        } catch (FSError e) {
            // the local disk failed under a rewrite: an I/O failure like any other, the next round tries again
            throw new IcebergWriteException(id, "-", operation, DataFileWriter.ioFailure(e));
        }
        return body;
    }
}
