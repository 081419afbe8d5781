package dev.floe.camel.iceberg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.iceberg.BaseMetastoreTableOperations;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.ClientPool;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.JdbcClientPool;
import org.apache.iceberg.jdbc.UncheckedInterruptedException;
import org.apache.iceberg.jdbc.UncheckedSQLException;

/**
 * Iceberg's JDBC catalog (same database tables, same rows, same SQL), except that a table keeps the metadata it has just
 * committed instead of reading its own metadata.json back.
 * <p>
 * Why: Iceberg's table operations forget the metadata they commit. After every commit the next read of the table
 * (Iceberg itself asks for one at the end of {@code SnapshotProducer.commit()}) finds a new location in the catalog and
 * reads and parses the whole metadata.json it has just written, a file that grows with the table's snapshots. Here a
 * successful compare-and-set of the location keeps the committed metadata as the table's current metadata, with that
 * location; the next refresh asks the database for the location as always, finds it unchanged and reads nothing.
 * Another writer's commit changes the location, and is read as before. Creating a table goes through Iceberg's own
 * JDBC operations.
 * <p>
 * The commit is the same single UPDATE … WHERE metadata_location = (the base's) as Iceberg's: it applies only if no one
 * committed since the base was read. A failed UPDATE fails the same way (CommitFailedException when no row matched,
 * UncheckedSQLException when the database failed, whose outcome the caller must reconcile).
 */
public class CachingJdbcCatalog extends JdbcCatalog {

    private static final String TABLE_TYPE_CONDITION = " AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)";
    private static final String GET_LOCATION = "SELECT metadata_location FROM iceberg_tables"
            + " WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?";
    private static final String SWAP_LOCATION = "UPDATE iceberg_tables SET metadata_location = ?,"
            + " previous_metadata_location = ? WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?"
            + " AND metadata_location = ?";

    private final AtomicReference<JdbcClientPool> pool;
    private String catalogName;
    // the catalog's table has the iceberg_type column (Iceberg's schema V1, with views)
    private boolean typed;

    public CachingJdbcCatalog() {
        this(new AtomicReference<>());
    }

    private CachingJdbcCatalog(AtomicReference<JdbcClientPool> pool) {
        // Iceberg's own pool, kept here too so the table operations can use it
        super(null, properties -> {
            JdbcClientPool connections = new JdbcClientPool(properties.get(CatalogProperties.URI), properties);
            pool.set(connections);
            return connections;
        }, true);
        this.pool = pool;
    }

    @Override
    public void initialize(String name, Map<String, String> properties) {
        super.initialize(name, properties);
        this.catalogName = name;
        try {
            this.typed = pool.get().run(connection -> {
                try (ResultSet columns = connection.getMetaData().getColumns(null, null, "iceberg_tables",
                        "iceberg_type")) {
                    return columns.next();
                }
            });
        } catch (SQLException e) {
            throw new UncheckedSQLException(e, "Failed to read the catalog's table columns");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedInterruptedException(e, "Interrupted while reading the catalog's table columns");
        }
    }

    @Override
    protected TableOperations newTableOps(TableIdentifier id) {
        return new Operations(super.newTableOps(id), id);
    }

    /** One table's operations: Iceberg's JDBC commit, keeping what it committed. */
    private final class Operations extends BaseMetastoreTableOperations {

        private final TableOperations iceberg;
        private final TableIdentifier id;
        private final String namespace;

        Operations(TableOperations iceberg, TableIdentifier id) {
            this.iceberg = iceberg;
            this.id = id;
            this.namespace = String.join(".", id.namespace().levels());
        }

        @Override
        public FileIO io() {
            return iceberg.io();
        }

        @Override
        protected String tableName() {
            return catalogName + "." + id;
        }

        @Override
        protected void doRefresh() {
            String location = run("Failed to read table " + id, connection -> {
                try (PreparedStatement sql = connection.prepareStatement(
                        GET_LOCATION + (typed ? TABLE_TYPE_CONDITION : ""))) {
                    sql.setString(1, catalogName);
                    sql.setString(2, namespace);
                    sql.setString(3, id.name());
                    try (ResultSet row = sql.executeQuery()) {
                        return row.next() ? row.getString(1) : "";
                    }
                }
            });
            if (location.isEmpty()) {
                if (currentMetadataLocation() != null) {
                    throw new NoSuchTableException("Failed to load table %s: dropped by another process", id);
                }
                disableRefresh();
                return;
            }
            // unchanged since this process committed it: nothing is read
            refreshFromMetadataLocation(location);
        }

        @Override
        protected void doCommit(TableMetadata base, TableMetadata metadata) {
            if (base == null) {
                // a new table: Iceberg's own operations insert its row; the first refresh reads it once
                iceberg.commit(null, metadata);
                return;
            }
            String newLocation = writeNewMetadataIfRequired(false, metadata);
            String baseLocation = base.metadataFileLocation();
            // never retried by the pool: an UPDATE that applied but whose answer was lost would match nothing the second
            // time and be taken for a conflict; the failure must surface as unknown, for the caller to reconcile
            int updated = runOnce("Failed to commit to table " + id, connection -> {
                try (PreparedStatement sql = connection.prepareStatement(
                        SWAP_LOCATION + (typed ? TABLE_TYPE_CONDITION : ""))) {
                    sql.setString(1, newLocation);
                    sql.setString(2, baseLocation);
                    sql.setString(3, catalogName);
                    sql.setString(4, namespace);
                    sql.setString(5, id.name());
                    sql.setString(6, baseLocation);
                    return sql.executeUpdate();
                }
            });
            if (updated != 1) {
                throw new CommitFailedException("Cannot commit %s: the table has moved on from %s, or is gone", id,
                        baseLocation);
            }
            // what was just written, as the current metadata: equal to what reading newLocation back would give
            TableMetadata committed = TableMetadata.buildFrom(metadata).withMetadataLocation(newLocation)
                    .discardChanges().build();
            refreshFromMetadataLocation(newLocation, null, 0, location -> committed);
        }

        private <R> R runOnce(String failure, ClientPool.Action<R, Connection, SQLException> action) {
            try {
                return pool.get().run(action, false);
            } catch (SQLException e) {
                throw new UncheckedSQLException(e, failure);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedInterruptedException(e, failure);
            }
        }

        private <R> R run(String failure, ClientPool.Action<R, Connection, SQLException> action) {
            try {
                return pool.get().run(action);
            } catch (SQLException e) {
                throw new UncheckedSQLException(e, failure);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedInterruptedException(e, failure);
            }
        }
    }
}
