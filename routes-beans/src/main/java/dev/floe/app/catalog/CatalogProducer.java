package dev.floe.app.catalog;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import dev.floe.app.FloeConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import dev.floe.camel.iceberg.CachingJdbcCatalog;
import dev.floe.camel.iceberg.ForklessLocalFileSystem;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the one Iceberg catalog from {@code floe.catalog.properties.*}; the iceberg: component autowires it. For the
 * embedded default (JDBC on SQLite, a local warehouse) it also creates the data directory.
 */
public class CatalogProducer {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogProducer.class);

    @Produces
    @Singleton
    public Catalog catalog(FloeConfig config) throws IOException {
        Map<String, String> properties = new HashMap<>(config.catalog().properties());
        if (!properties.containsKey(CatalogUtil.ICEBERG_CATALOG_TYPE)
                && !properties.containsKey(CatalogProperties.CATALOG_IMPL)) {
            // the embedded default: nothing to run, everything under the data directory
            // Iceberg's JDBC catalog that keeps what it commits instead of reading its metadata.json back
            properties.put(CatalogProperties.CATALOG_IMPL, CachingJdbcCatalog.class.getName());
            properties.put(CatalogProperties.URI,
                    "jdbc:sqlite:" + config.dataDir() + "/catalog.db?journal_mode=WAL&busy_timeout="
                            + config.catalog().embeddedBusyTimeoutMs());
            properties.put(CatalogProperties.WAREHOUSE_LOCATION, config.dataDir() + "/warehouse");
        }
        String uri = properties.get(CatalogProperties.URI);
        if (uri != null && uri.startsWith("jdbc:sqlite:")) {
            // SQLite does not create the folder of its database file
            String file = uri.substring("jdbc:sqlite:".length()).split("\\?")[0];
            Path parent = Path.of(file).toAbsolutePath().getParent();
            Files.createDirectories(parent);
        }
        String warehouse = properties.get(CatalogProperties.WAREHOUSE_LOCATION);
        if (warehouse != null && URI.create(warehouse.replace(" ", "%20")).getScheme() == null) {
            // a relative warehouse would be resolved against whatever directory a reader runs in
            Path path = Path.of(warehouse).toAbsolutePath().normalize();
            Files.createDirectories(path);
            properties.put(CatalogProperties.WAREHOUSE_LOCATION, path.toString());
        }
        registerJdbcDrivers();
        LOG.info("Iceberg catalog '{}' ({})", config.catalog().name(),
                properties.getOrDefault(CatalogUtil.ICEBERG_CATALOG_TYPE,
                        properties.get(CatalogProperties.CATALOG_IMPL)));
        // a local warehouse's files are created without a chmod process each (ForklessLocalFileSystem)
        return CatalogUtil.buildIcebergCatalog(config.catalog().name(), properties,
                ForklessLocalFileSystem.configuration());
    }

    /**
     * DriverManager discovers drivers once per JVM, through the class loader that first asked. Instantiating the
     * drivers visible to this application registers them again, so a JDBC catalog works also when the application is
     * restarted in the same JVM (tests, dev mode).
     */
    private static void registerJdbcDrivers() {
        ServiceLoader.load(Driver.class, CatalogProducer.class.getClassLoader()).forEach(driver -> {
        });
    }

    public void close(@Disposes Catalog catalog) throws IOException {
        if (catalog instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
