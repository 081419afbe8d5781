package dev.floe.camel.iceberg;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Write batches of CloudEvents or rows into an Apache Iceberg table, one atomic commit per exchange.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "iceberg", title = "Iceberg", syntax = "iceberg:table", producerOnly = true, category = {
        Category.DATABASE, Category.BIGDATA}, headersClass = IcebergConstants.class)
public class IcebergEndpoint extends DefaultEndpoint {

    @UriPath(description = "The table to write, as namespace.table")
    @Metadata(required = true)
    private final String table;
    @UriParam
    private final IcebergConfiguration configuration;

    private final TableIdentifier tableIdentifier;
    private volatile Catalog catalog;
    // each writer is used only from its own table's lane thread
    private final Map<TableIdentifier, TableWriter> writers = new ConcurrentHashMap<>();

    public IcebergEndpoint(String uri, IcebergComponent component, TableIdentifier table,
            IcebergConfiguration configuration) {
        super(uri, component);
        this.table = table.toString();
        this.tableIdentifier = table;
        this.configuration = configuration;
    }

    @Override
    public IcebergComponent getComponent() {
        return (IcebergComponent) super.getComponent();
    }

    public String getTable() {
        return table;
    }

    public IcebergConfiguration getConfiguration() {
        return configuration;
    }

    TableIdentifier getTableIdentifier() {
        return tableIdentifier;
    }

    /** Built on first use, so a catalog that is down at start-up delays the first batch instead of the route. */
    Catalog catalog() {
        Catalog c = catalog;
        if (c == null) {
            synchronized (this) {
                if (catalog == null) {
                    catalog = getComponent().catalogFor(configuration);
                }
                c = catalog;
            }
        }
        return c;
    }

    /**
     * A batch for this endpoint's table, or for {@code table} (as the {@link IcebergConstants#TABLE} header names one)
     * when not null, whose rows are written as they are added: send it as the body of an exchange to this endpoint.
     */
    public StagedBatch openBatch(String table) {
        return new StagedBatch(this, table != null ? TableNames.parse(table) : tableIdentifier);
    }

    /** The writer of a table's commits and staged rows, used from the table's lane thread only. */
    TableWriter writer(TableIdentifier table) {
        return writers.computeIfAbsent(table, t -> new TableWriter(this, t));
    }

    @Override
    public Producer createProducer() {
        return new IcebergProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("The iceberg component only writes: use it in to(), not from()");
    }
}
