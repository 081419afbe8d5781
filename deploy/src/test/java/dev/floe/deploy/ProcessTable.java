package dev.floe.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The table a Floe process writes in a test: a JDBC catalog on SQLite and a warehouse in the test's folder, given to
 * Floe through environment variables as the manifests do, and read back with Iceberg's own reader.
 */
final class ProcessTable {

    private final Path dir;

    ProcessTable(Path dir) {
        this.dir = dir;
    }

    Map<String, String> catalogEnv() {
        return Map.of("FLOE_CATALOG_PROPERTIES_TYPE", "jdbc", "FLOE_CATALOG_PROPERTIES_URI", uri(),
                "FLOE_CATALOG_PROPERTIES_WAREHOUSE", warehouse());
    }

    /** The ids of the rows of default.events; none while it does not exist. */
    List<String> ids() {
        Catalog catalog = CatalogUtil.buildIcebergCatalog("floe",
                Map.of("type", "jdbc", "uri", uri(), "warehouse", warehouse()), new Configuration());
        try (AutoCloseable closing = (AutoCloseable) catalog) {
            TableIdentifier id = TableIdentifier.parse("default.events");
            if (!catalog.tableExists(id)) {
                return List.of();
            }
            List<String> ids = new ArrayList<>();
            try (CloseableIterable<Record> it = IcebergGenerics.read(catalog.loadTable(id)).build()) {
                it.forEach(r -> ids.add((String) r.getField("id")));
            }
            return ids;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** prefix0 … prefix(n-1). */
    static List<String> numbered(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private String uri() {
        return "jdbc:sqlite:" + dir.resolve("catalog.db");
    }

    private String warehouse() {
        return dir.resolve("warehouse").toUri().toString();
    }
}
