package dev.floe.app.catalog;

import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;

/** The cheapest call a catalog answers, for readiness: the management port's and the gRPC health service's. */
public final class CatalogProbe {

    private CatalogProbe() {
    }

    /** Throws what the catalog threw when it does not answer. */
    public static void call(Catalog catalog) {
        if (catalog instanceof SupportsNamespaces namespaces) {
            namespaces.listNamespaces(Namespace.empty());
        } else {
            catalog.tableExists(TableIdentifier.of("floe", "readiness_probe"));
        }
    }

    public static boolean answers(Catalog catalog) {
        try {
            call(catalog);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
