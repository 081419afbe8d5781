package dev.floe.app.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.floe.app.routing.TableBatch;
import dev.floe.app.routing.TableCheck;
import dev.floe.app.routing.TableRouter;
import dev.floe.app.routing.UnroutableEventException;
import dev.floe.camel.iceberg.IncompatibleSchemaException;
import io.cloudevents.CloudEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Picks the table of each event of a {@link KafkaPoll} with the shared {@link TableRouter} (floe.routing.*), and checks
 * with {@link TableCheck} that each table's events fit its columns. An event no table takes, or that does not fit, is set
 * aside for the dead-letter topic, alone: when a table's events do not fit together, each is checked on its own.
 */
@ApplicationScoped
@Named("kafkaTableRouter")
public class KafkaTableRouter implements Processor {

    @Inject
    TableRouter router;
    @Inject
    TableCheck check;

    @Override
    public void process(Exchange exchange) {
        KafkaPoll poll = exchange.getIn().getBody(KafkaPoll.class);
        Map<String, List<PolledRecord>> byTable = new LinkedHashMap<>();
        for (PolledRecord record : poll.records()) {
            if (record.event() == null) {
                continue;
            }
            try {
                record.table(router.tableFor(record.event()));
                byTable.computeIfAbsent(record.table(), t -> new ArrayList<>()).add(record);
            } catch (UnroutableEventException e) {
                record.reject(e);
            }
        }
        byTable.forEach(this::check);
    }

    private void check(String table, List<PolledRecord> records) {
        try {
            check.check(new TableBatch(table, router.endpointUri(table), events(records)));
        } catch (IncompatibleSchemaException together) {
            for (PolledRecord record : records) {
                try {
                    check.check(new TableBatch(table, router.endpointUri(table), List.of(record.event())));
                } catch (IncompatibleSchemaException alone) {
                    record.reject(alone);
                }
            }
        }
    }

    private static List<CloudEvent> events(List<PolledRecord> records) {
        List<CloudEvent> events = new ArrayList<>(records.size());
        records.forEach(r -> events.add(r.event()));
        return events;
    }
}
