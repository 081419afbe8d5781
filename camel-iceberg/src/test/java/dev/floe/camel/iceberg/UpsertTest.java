package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.BindToRegistry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/** Upserts read back with Iceberg's generic reader, which applies the equality and position deletes. */
class UpsertTest extends CamelTestSupport {

    @BindToRegistry("catalog")
    private final InMemoryCatalog catalog = memoryCatalog();
    private int ids;

    private static InMemoryCatalog memoryCatalog() {
        InMemoryCatalog c = new InMemoryCatalog();
        c.initialize("mem", Map.of());
        c.createNamespace(Namespace.of("u"));
        return c;
    }

    private CloudEvent keyed(String subject, String json, String op) {
        CloudEventBuilder b = CloudEventBuilder.v1().withId("e" + ids++).withSource(URI.create("/u")).withType("t")
                .withSubject(subject).withData(new JsonEventData(json));
        return op == null ? b.build() : b.withExtension("op", op).build();
    }

    private CloudEvent change(String json) {
        return CloudEventBuilder.v1().withId("c" + ids++).withSource(URI.create("/db")).withType("change")
                .withData(new JsonEventData(json)).build();
    }

    private List<Record> rows(String name) throws Exception {
        Table table = catalog.loadTable(TableIdentifier.of("u", name));
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
            it.forEach(rows::add);
        }
        return rows;
    }

    @Test
    void insertUpdateDeleteByEnvelopeKeyAcrossBatches() throws Exception {
        String uri = "iceberg:u.bysubject?writeMode=upsert&identifierFields=subject";
        template.sendBody(uri, List.of(keyed("k1", "{\"v\":1}", "c"), keyed("k2", "{\"v\":1}", null),
                keyed("k3", "{\"v\":1}", null)));
        template.sendBody(uri, List.of(keyed("k1", "{\"v\":2}", "u"), keyed("k2", "{\"v\":1}", "d")));
        // the same key twice in one batch: the last one wins
        template.sendBody(uri, List.of(keyed("k3", "{\"v\":2}", "u"), keyed("k3", "{\"v\":3}", "u")));

        Map<Object, Object> state = new TreeMap<>();
        rows("bysubject").forEach(r -> state.merge(r.getField("subject"), r.getField("data"), (a, b) -> a + "|" + b));
        assertThat(state).isEqualTo(Map.of("k1", "{\"v\":2}", "k3", "{\"v\":3}"));
        Table table = catalog.loadTable(TableIdentifier.of("u", "bysubject"));
        assertThat(table.currentSnapshot().summary()).containsKey("added-equality-delete-files");
    }

    @Test
    void debeziumChangeEventsWithAKeyInsideTheData() throws Exception {
        String uri = "iceberg:u.customers?schemaMode=inferred&writeMode=upsert&identifierFields=payload.id";
        template.sendBody(uri, List.of(
                change("{\"op\":\"r\",\"after\":{\"id\":1,\"name\":\"Ada\"}}"),
                change("{\"op\":\"c\",\"after\":{\"id\":2,\"name\":\"Bob\"}}")));
        template.sendBody(uri, List.of(
                change("{\"op\":\"u\",\"before\":{\"id\":1,\"name\":\"Ada\"},\"after\":{\"id\":1,\"name\":\"Ada L.\"}}"),
                change("{\"op\":\"d\",\"before\":{\"id\":2,\"name\":\"Bob\"},\"after\":null}")));
        template.sendBody(uri, List.of(change("{\"op\":\"c\",\"after\":{\"id\":3,\"name\":\"Cy\",\"vip\":true}}")));

        Map<Object, Object> state = new TreeMap<>();
        for (Record row : rows("customers")) {
            Record payload = (Record) row.getField("payload");
            state.put(payload.getField("id"), payload.getField("name"));
        }
        assertThat(state).isEqualTo(Map.of(1, "Ada L.", 3, "Cy"));
    }
}
