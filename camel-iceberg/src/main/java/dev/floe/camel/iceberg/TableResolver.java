package dev.floe.camel.iceberg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
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

    static Table loadOrCreate(Catalog catalog, TableIdentifier id, IcebergConfiguration conf, CamelContext camel) {
        try {
            return catalog.loadTable(id);
        } catch (NoSuchTableException e) {
            if (!conf.isAutoCreateTable()) {
                throw new IcebergWriteException(id, "-", "load",
                        new IllegalStateException("table does not exist and autoCreateTable is false", e));
            }
        }
        createNamespace(catalog, id.namespace());
        Schema schema = schemaFor(camel, conf);
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

    /** The envelope layout, plus the declared payload struct for schemaMode=declared. */
    static Schema schemaFor(CamelContext camel, IcebergConfiguration conf) {
        if (!"declared".equals(conf.getSchemaMode())) {
            return EventTableLayout.SCHEMA;
        }
        if (conf.getDeclaredSchema() == null) {
            throw new IllegalArgumentException("schemaMode=declared needs declaredSchema");
        }
        String json = conf.getDeclaredSchema().trim();
        if (!json.startsWith("{")) {
            try {
                try (java.io.InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camel, json)) {
                    json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            } catch (Exception e) {
                throw new IllegalArgumentException("cannot read declaredSchema " + conf.getDeclaredSchema(), e);
            }
        }
        AtomicInteger ids = new AtomicInteger(EventTableLayout.SCHEMA.highestFieldId() + 1);
        Type payload = TypeUtil.assignFreshIds(SchemaParser.fromJson(json).asStruct(), ids::incrementAndGet);
        List<Types.NestedField> columns = new ArrayList<>(EventTableLayout.SCHEMA.columns());
        columns.add(Types.NestedField.optional(ids.incrementAndGet(), PayloadSchemas.PAYLOAD, payload));
        return new Schema(columns);
    }

    static Map<String, String> createProperties(IcebergConfiguration conf) {
        Map<String, String> properties = new HashMap<>();
        properties.put(TableProperties.PARQUET_COMPRESSION, "zstd");
        properties.put(TableProperties.FORMAT_VERSION, "2");
        // a connector commits often; keep the metadata folder from growing without bound. Iceberg's default of 100
        // previous versions is kept: at 20 commits a second a reader that loaded a version has 5 s to read it
        properties.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
        properties.put(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100");
        // an event's id is unique (per source, by the spec) and so is a Kafka offset (per partition): Parquet would
        // fill a dictionary with every value of every file only to fall back to plain encoding; without it the Kafka
        // path did 1.07x the rows per CPU-second (bench/RESULTS.md)
        properties.put(TableProperties.PARQUET_DICT_ENCODING_ENABLED_COLUMN_PREFIX + EventTableLayout.ID, "false");
        properties.put(TableProperties.PARQUET_DICT_ENCODING_ENABLED_COLUMN_PREFIX + EventTableLayout.KAFKA + ".offset",
                "false");
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
