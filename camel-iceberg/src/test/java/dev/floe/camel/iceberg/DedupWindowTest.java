package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.BindToRegistry;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/** The dedup window belongs to the table: shared by every endpoint that writes it, and fed by other writers' commits. */
class DedupWindowTest extends CamelTestSupport {

    @BindToRegistry("catalog")
    private final InMemoryCatalog catalog = memoryCatalog();

    private static InMemoryCatalog memoryCatalog() {
        InMemoryCatalog c = new InMemoryCatalog();
        c.initialize("mem", Map.of());
        c.createNamespace(Namespace.of("d"));
        return c;
    }

    private static List<CloudEvent> events(String... ids) {
        List<CloudEvent> events = new ArrayList<>();
        for (String id : ids) {
            events.add(CloudEventBuilder.v1().withId(id).withSource(URI.create("/d")).withType("t").build());
        }
        return events;
    }

    private List<String> ids(String table) throws Exception {
        List<String> ids = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(catalog.loadTable(TableIdentifier.of("d", table)))
                .build()) {
            it.forEach(r -> ids.add((String) r.getField("id")));
        }
        return ids;
    }

    @Test
    void everyEndpointOfATableSharesItsWindow() throws Exception {
        // two routes write one table through endpoints with different options
        String first = "iceberg:d.shared?dedupWindowSeconds=600";
        String second = "iceberg:d.shared?dedupWindowSeconds=600&commitRetries=2";
        template.sendBody(second, events("0"));
        template.sendBody(first, events("1", "2"));

        template.sendBody(second, events("2", "3"));

        assertThat(ids("shared")).containsExactlyInAnyOrder("0", "1", "2", "3");
    }

    @Test
    void aRedeliveryToAnotherReplicaAfterTheFirstCommitIsWrittenOnce() throws Exception {
        String uri = "iceberg:d.replicas?dedupWindowSeconds=600";
        try (DefaultCamelContext other = new DefaultCamelContext()) {
            other.getRegistry().bind("catalog", catalog);
            other.start();
            ProducerTemplate replicaB = other.createProducerTemplate();
            // both replicas are running and have written the table before
            replicaB.sendBody(uri, events("b0"));
            template.sendBody(uri, events("a0"));

            // a sender's retry reaches replica B after replica A committed the first copy
            template.sendBody(uri, events("x", "y"));
            replicaB.sendBody(uri, events("y", "z"));
            // and the other way round
            template.sendBody(uri, events("z"));
        }
        assertThat(ids("replicas")).containsExactlyInAnyOrder("b0", "a0", "x", "y", "z");
    }
}
