package dev.floe.camel.iceberg;

import java.util.HashMap;
import java.util.Map;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * Loads a table, or creates it (and its namespace) with the default CloudEvents layout.
 */
final class TableResolver {

    private TableResolver() {
    }

    static Table loadOrCreate(Catalog catalog, TableIdentifier id, IcebergConfiguration conf) {
        try {
            return catalog.loadTable(id);
        } catch (NoSuchTableException e) {
            if (!conf.isAutoCreateTable()) {
                throw new IcebergWriteException(id, "-", "load",
                        new IllegalStateException("table does not exist and autoCreateTable is false", e));
            }
        }
        createNamespace(catalog, id.namespace());
        Schema schema = EventTableLayout.SCHEMA;
        PartitionSpec spec = PartitionSpecParser.parse(schema, conf.getPartitionSpec());
        try {
            return catalog.createTable(id, schema, spec, createProperties(conf));
        } catch (RuntimeException e) {
            // another replica created it first (some catalogs report that as a plain SQL error, not AlreadyExists)
            if (catalog.tableExists(id)) {
                return catalog.loadTable(id);
            }
            throw e;
        }
    }

    static Map<String, String> createProperties(IcebergConfiguration conf) {
        Map<String, String> properties = new HashMap<>();
        properties.put(TableProperties.PARQUET_COMPRESSION, "zstd");
        properties.put(TableProperties.FORMAT_VERSION, "2");
        // a connector commits often; keep the metadata folder from growing without bound
        properties.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
        conf.getTableProperties().forEach((k, v) -> properties.put(k, String.valueOf(v)));
        return properties;
    }

    private static void createNamespace(Catalog catalog, Namespace namespace) {
        if (namespace.isEmpty() || !(catalog instanceof SupportsNamespaces namespaces)) {
            return;
        }
        if (!namespaces.namespaceExists(namespace)) {
            try {
                namespaces.createNamespace(namespace);
            } catch (RuntimeException e) {
                // created concurrently by another replica: fine; anything else is a real failure
                if (!namespaces.namespaceExists(namespace)) {
                    throw e;
                }
            }
        }
    }
}
