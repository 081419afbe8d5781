package dev.floe.app.routing;

import dev.floe.app.batch.CommitTicket;
import dev.floe.app.batch.EventBatchAggregation;
import dev.floe.camel.iceberg.IcebergConstants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Inside the split over a request's {@link TableBatch}es: makes the part an exchange the aggregator understands (its
 * events as body, its table and endpoint as headers, its ticket and share of the input bytes as properties).
 */
@ApplicationScoped
@Named("tableBatch")
public class TableBatchStep implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        TableBatch part = in.getMandatoryBody(TableBatch.class);
        in.setBody(part.events());
        in.setHeader(IcebergConstants.TABLE, part.table());
        in.setHeader(EventBatchAggregation.ENDPOINT, part.endpointUri());
        exchange.setProperty(CommitTicket.PROPERTY, part.ticket());
        long requestBytes = exchange.getProperty(EventBatchAggregation.INPUT_BYTES, 0L, Long.class);
        int requestEvents = exchange.getProperty(Exchange.SPLIT_SIZE, 1, Integer.class);
        exchange.setProperty(EventBatchAggregation.INPUT_BYTES, requestBytes / Math.max(1, requestEvents));
    }
}
