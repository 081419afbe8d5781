package dev.floe.camel.iceberg;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.IOHelper;
import org.apache.camel.util.PropertiesHelper;
import org.apache.camel.util.URISupport;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.auth.OAuth2Properties;
import org.apache.iceberg.util.ThreadPools;

@Component("iceberg")
public class IcebergComponent extends HealthCheckComponent {

    static {
        // Camel masks token=, secret= and password= in every URI it prints, but not Iceberg's credential=
        URISupport.addSanitizeKeywords(OAuth2Properties.CREDENTIAL);
    }

    @Metadata
    private IcebergConfiguration configuration = new IcebergConfiguration();

    // Endpoints with the same catalog properties share one catalog (and its connection pool).
    private final Map<String, Catalog> catalogs = new ConcurrentHashMap<>();
    private CommitLanes lanes;
    // one dedup window per table (per catalog) in this process, shared by every endpoint that writes it
    private final Map<String, RecentEvents> dedupWindows = new ConcurrentHashMap<>();
    // for the dev console
    private final Map<TableIdentifier, TableActivity> activity = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TableIdentifier table = TableNames.parse(remaining);
        IcebergConfiguration conf = configuration.copy();
        // prefixed pass-through options are not handled by the generated configurer
        conf.getCatalogProperties().putAll(PropertiesHelper.extractProperties(parameters, "catalog."));
        conf.getTableProperties().putAll(PropertiesHelper.extractProperties(parameters, "table."));
        IcebergEndpoint endpoint = new IcebergEndpoint(uri, this, table, conf);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public IcebergConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The component configuration, copied into each endpoint.
     */
    public void setConfiguration(IcebergConfiguration configuration) {
        this.configuration = configuration;
    }

    Catalog catalogFor(IcebergConfiguration conf) {
        if (conf.getCatalog() != null) {
            return conf.getCatalog();
        }
        Map<String, String> properties = catalogProperties(conf);
        if (!properties.containsKey(CatalogUtil.ICEBERG_CATALOG_TYPE)
                && !properties.containsKey(CatalogProperties.CATALOG_IMPL)) {
            // Iceberg would silently fall back to Hive, which is not on the classpath.
            throw new IllegalArgumentException(
                    "No Iceberg catalog: bind a Catalog bean, or set catalog.type (rest, jdbc, hadoop, glue, nessie)"
                            + " or catalog.catalog-impl");
        }
        String key = conf.getCatalogName() + properties;
        Catalog existing = catalogs.get(key);
        if (existing != null) {
            return existing;
        }
        // built outside the map's lock: a REST catalog that does not answer (a health probe may be the first to ask)
        // would otherwise hold stopping the component until its socket timeout. Local files without a chmod process
        // per file (ForklessLocalFileSystem)
        Catalog built = CatalogUtil.buildIcebergCatalog(conf.getCatalogName(), properties,
                ForklessLocalFileSystem.configuration());
        Catalog raced = catalogs.putIfAbsent(key, built);
        if (raced != null) {
            close(built);
            return raced;
        }
        return built;
    }

    private static void close(Catalog catalog) {
        if (catalog instanceof java.io.Closeable closeable) {
            IOHelper.close(closeable);
        }
    }

    /** What is handed to Iceberg: the catalog.* properties, with the secret options over the same names. */
    static Map<String, String> catalogProperties(IcebergConfiguration conf) {
        Map<String, String> properties = new TreeMap<>();
        conf.getCatalogProperties().forEach((k, v) -> properties.put(k, String.valueOf(v)));
        if (conf.getCredential() != null) {
            properties.put(OAuth2Properties.CREDENTIAL, conf.getCredential());
        }
        if (conf.getToken() != null) {
            properties.put(OAuth2Properties.TOKEN, conf.getToken());
        }
        return properties;
    }

    /** The table's dedup window; the first endpoint to write the table sizes it. */
    RecentEvents dedupWindow(IcebergEndpoint endpoint, TableIdentifier table) {
        IcebergConfiguration conf = endpoint.getConfiguration();
        return dedupWindows.computeIfAbsent(endpoint.catalog().name() + "/" + table,
                k -> new RecentEvents(conf.getDedupWindowSeconds(), conf.getDedupWindowBytes()));
    }

    TableActivity activity(TableIdentifier table) {
        return activity.computeIfAbsent(table, t -> new TableActivity());
    }

    Map<TableIdentifier, TableActivity> activity() {
        return Map.copyOf(activity);
    }

    synchronized Map<TableIdentifier, Integer> queuedBatches() {
        return lanes == null ? Map.of() : lanes.queuedBatches();
    }

    /**
     * Created on first use as well as on start: a route that resolves its endpoint late (toD) may first reach the
     * component while Camel is stopping, when components are no longer started.
     */
    synchronized CommitLanes lanes() {
        if (lanes == null) {
            lanes = new CommitLanes(getCamelContext().getExecutorServiceManager(), this);
        }
        return lanes;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        lanes();
        // Iceberg's worker pool registers a JVM shutdown hook when first used, which fails once the JVM is shutting
        // down: create it now, or a first commit during SIGTERM (the batches completed on stop) could never run
        ThreadPools.getWorkerPool();
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            if (lanes != null) {
                lanes.shutdown();
                lanes = null;
            }
        }
        catalogs.values().forEach(IcebergComponent::close);
        catalogs.clear();
        dedupWindows.clear();
        super.doStop();
    }
}
