package dev.floe.app.routing;

import java.util.List;

import dev.floe.app.batch.CommitTicket;
import io.cloudevents.CloudEvent;

/**
 * The events of one request that go to one table, with the iceberg: endpoint that writes that table and, once admitted,
 * the ticket that waits for their commit.
 */
public final class TableBatch {

    private final String table;
    private final String endpointUri;
    private final List<CloudEvent> events;
    private CommitTicket ticket;

    public TableBatch(String table, String endpointUri, List<CloudEvent> events) {
        this.table = table;
        this.endpointUri = endpointUri;
        this.events = events;
    }

    public String table() {
        return table;
    }

    public String endpointUri() {
        return endpointUri;
    }

    public List<CloudEvent> events() {
        return events;
    }

    public CommitTicket ticket() {
        return ticket;
    }

    public void ticket(CommitTicket ticket) {
        this.ticket = ticket;
    }
}
