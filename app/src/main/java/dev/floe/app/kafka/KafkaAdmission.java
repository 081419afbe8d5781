package dev.floe.app.kafka;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.floe.app.routing.TableBatch;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * After routing: turns the record's one {@link TableBatch} into the exchange the aggregator takes, or ends the
 * exchange when the table already holds the record (a replay after a rewind).
 */
@ApplicationScoped
@Named("kafkaAdmission")
public class KafkaAdmission implements Processor {

    /** Header: what the aggregator correlates on. */
    public static final String BATCH_KEY = "FloeKafkaBatch";

    @Inject
    KafkaProgress progress;

    @Override
    public void process(Exchange exchange) {
        List<?> parts = exchange.getIn().getBody(List.class);
        TableBatch part = (TableBatch) parts.get(0);
        SourcePosition at = exchange.getProperty(SourcePosition.PROPERTY, SourcePosition.class);
        if (!progress.admit(at, part.table(), exchange)) {
            exchange.setRouteStop(true);
            return;
        }
        exchange.getIn().setBody(part);
        // a batch holds one table's records of one generation
        exchange.getIn().setHeader(BATCH_KEY,
                part.table() + "#" + exchange.getProperty(KafkaProgress.GENERATION, Generation.class).id);
    }
}
