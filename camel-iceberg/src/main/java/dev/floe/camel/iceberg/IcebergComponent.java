package dev.floe.camel.iceberg;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
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
        // Camel masks token=, secret= and password= in every URI it prints, but not Iceberg's credential=. Camel 4.15
        // masks an added keyword at its first match in a URI only: see refuseCredentialsCamelWouldPrint.
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
        refuseCredentialsCamelWouldPrint(parameters.keySet());
        IcebergConfiguration conf = configuration.copy();
        // prefixed pass-through options are not handled by the generated configurer
        conf.getCatalogProperties().putAll(PropertiesHelper.extractProperties(parameters, "catalog."));
        conf.getTableProperties().putAll(PropertiesHelper.extractProperties(parameters, "table."));
        IcebergEndpoint endpoint = new IcebergEndpoint(uri, this, table, conf);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * Camel masks only the first parameter whose name holds "credential" when it prints a URI (logs, route dumps,
     * health details), so a URI that has a credential and another such name (catalog.credential, or
     * catalog.client.credentials-provider sorted before it) would print the credential in clear.
     */
    static void refuseCredentialsCamelWouldPrint(Collection<String> names) {
        List<String> named = names.stream()
                .filter(n -> n.toLowerCase(Locale.ROOT).contains(OAuth2Properties.CREDENTIAL))
                .sorted().toList();
        if (named.size() > 1 && named.stream().anyMatch(n -> n.endsWith(OAuth2Properties.CREDENTIAL))) {
            throw new IllegalArgumentException("An iceberg endpoint URI may name only one parameter holding"
                    + " 'credential', as Camel masks only the first of them when it prints the URI; this one names "
                    + named + ". Give the credential once, and set the others on the component"
                    + " (camel.component.iceberg.configuration.catalog-properties)");
        }
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
        if (isStoppingOrStopped()) {
            // built while stopping (a health probe, a last batch): doStop may have closed the map already
            catalogs.remove(key, built);
            close(built);
            throw new IllegalStateException("The iceberg component is stopped");
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
