package dev.floe.app.routing;

import java.util.List;

import dev.floe.app.FloeConfig;
import dev.floe.app.batch.BatchFailedException;
import dev.floe.camel.iceberg.IncompatibleSchemaException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * Checks, before anything is admitted, that each {@link TableBatch} fits its table: typed columns (declared or inferred)
 * and an upsert's op. A request is all-or-nothing. It runs after the sender has been authorized for the tables
 * ({@code eventAuthorization} over HTTP): checking an inferred table widens what it accepts for a while, which a sender
 * without a grant for it must never do.
 */
@ApplicationScoped
@Named("tableCheck")
public class TableCheck implements Processor {

    @Inject
    FloeConfig config;
    @Inject
    ProducerTemplate producer;

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        for (TableBatch batch : (List<TableBatch>) exchange.getIn().getBody(List.class)) {
            check(batch);
        }
    }

    /**
     * Checks that the batch's events fit its table: {@link IncompatibleSchemaException} when they do not,
     * {@link BatchFailedException} when the catalog could not be asked.
     */
    public void check(TableBatch batch) {
        if (needsCheck(batch.table())) {
            Exchange checked = producer.send(batch.endpointUri() + "&operation=validate",
                    e -> e.getIn().setBody(batch.events()));
            Exception error = checked.getException();
            if (error instanceof IncompatibleSchemaException incompatible) {
                throw incompatible; // the events do not fit: 422
            }
            if (error != null) {
                // the catalog could not be asked: the client should retry later
                throw new BatchFailedException("the table " + batch.table() + " could not be checked: "
                        + error.getMessage(), error);
            }
        }
    }

    /** Typed columns must fit, and an upsert's op must be known, before anything is admitted. */
    private boolean needsCheck(String table) {
        FloeConfig.TableSettings settings = config.tables().get(table);
        return settings != null && (!settings.schemaMode().equals("envelope") || settings.writeMode().equals("upsert"));
    }
}
