package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class SchemaModesTest extends CamelTestSupport {

    @BindToRegistry("catalog")
    private final InMemoryCatalog catalog = memoryCatalog();

    private static InMemoryCatalog memoryCatalog() {
        InMemoryCatalog c = new InMemoryCatalog();
        c.initialize("mem", Map.of());
        c.createNamespace(Namespace.of("s"));
        return c;
    }

    private static CloudEvent event(String id, String json) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/s")).withType("t")
                .withData(new JsonEventData(json)).build();
    }

    private Table table(String name) {
        return catalog.loadTable(TableIdentifier.of("s", name));
    }

    private List<Record> rows(String name) throws Exception {
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(table(name)).build()) {
            it.forEach(rows::add);
        }
        return rows;
    }

    private static Record byId(List<Record> rows, String id) {
        return rows.stream().filter(r -> r.getField("id").equals(id)).findFirst().orElseThrow();
    }

    private static Type payload(Table t, String path) {
        return t.schema().findType("payload." + path);
    }

    @Test
    void inferredColumnsEvolveAcrossBatches() throws Exception {
        String uri = "iceberg:s.inferred?schemaMode=inferred";
        template.sendBody(uri, List.of(event("1", "{\"amount\":1,\"name\":\"a\",\"price\":1.5}")));
        assertThat(payload(table("inferred"), "amount")).isEqualTo(Types.IntegerType.get());

        template.sendBody(uri,
                List.of(event("2", "{\"amount\":5000000000,\"nested\":{\"x\":2,\"tags\":[\"p\",\"q\"]}}")));
        template.sendBody(uri, List.of(event("3", "{\"name\":\"c\",\"nested\":{\"y\":true},\"price\":3}")));

        Table t = table("inferred");
        assertThat(payload(t, "amount")).isEqualTo(Types.LongType.get());
        assertThat(payload(t, "price")).isEqualTo(Types.DoubleType.get());
        assertThat(payload(t, "nested.x")).isEqualTo(Types.IntegerType.get());
        assertThat(payload(t, "nested.y")).isEqualTo(Types.BooleanType.get());
        assertThat(payload(t, "nested.tags")).isEqualTo(Types.ListType.ofOptional(
                t.schema().findField("payload.nested.tags").type().asListType().elementId(), Types.StringType.get()));

        List<Record> rows = rows("inferred");
        Record first = (Record) byId(rows, "1").getField("payload");
        assertThat(first.getField("amount")).isEqualTo(1L);
        assertThat(first.getField("nested")).isNull();
        Record second = (Record) byId(rows, "2").getField("payload");
        assertThat(second.getField("amount")).isEqualTo(5000000000L);
        assertThat(((Record) second.getField("nested")).getField("tags")).isEqualTo(List.of("p", "q"));
        Record third = (Record) byId(rows, "3").getField("payload");
        assertThat(third.getField("price")).isEqualTo(3.0);
        assertThat(((Record) third.getField("nested")).getField("y")).isEqualTo(true);
        assertThat(((Record) third.getField("nested")).getField("x")).isNull();
        // the lossless envelope stays
        assertThat(byId(rows, "1").getField("data")).isEqualTo("{\"amount\":1,\"name\":\"a\",\"price\":1.5}");
    }

    @Test
    void incompatibleChangeFailsItsBatchOnlyAndTheTableKeepsGoing() throws Exception {
        String uri = "iceberg:s.incompatible?schemaMode=inferred";
        template.sendBody(uri, List.of(event("1", "{\"amount\":1}")));

        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        sent.add(template.asyncSend(uri, e -> e.getIn().setBody(List.of(event("bad", "{\"amount\":\"lots\"}")))));
        sent.add(template.asyncSend(uri, e -> e.getIn().setBody(List.of(event("good", "{\"amount\":2}")))));

        assertThat(sent.get(0).get().getException()).isInstanceOf(IcebergWriteException.class)
                .hasRootCauseInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("data.amount").hasMessageContaining("string");
        assertThat(sent.get(1).get().getException()).isNull();
        assertThat(rows("incompatible")).extracting(r -> r.getField("id")).containsExactlyInAnyOrder("1", "good");
        assertThat(payload(table("incompatible"), "amount")).isEqualTo(Types.IntegerType.get());
    }

    @Test
    void validateOperationRejectsWithoutWriting() throws Exception {
        template.sendBody("iceberg:s.validated?schemaMode=inferred", List.of(event("1", "{\"n\":{\"a\":1}}")));
        String validate = "iceberg:s.validated?schemaMode=inferred&operation=validate";

        template.sendBody(validate, List.of(event("ok", "{\"n\":{\"a\":7,\"b\":\"new\"}}")));
        assertThatThrownBy(() -> template.sendBody(validate, List.of(event("bad", "{\"n\":5}"))))
                .isInstanceOf(CamelExecutionException.class).cause()
                .isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("data.n");
        assertThatThrownBy(() -> template.sendBody("iceberg:s.fresh?schemaMode=inferred&operation=validate",
                List.of(event("x", "{\"v\":1}"), event("y", "{\"v\":\"s\"}"))))
                .cause().isInstanceOf(IncompatibleSchemaException.class);
        assertThat(rows("validated")).hasSize(1);
        assertThat(catalog.tableExists(TableIdentifier.of("s", "fresh"))).isFalse();
    }

    @Test
    void twoRequestsInFlightCannotGiveANewFieldTwoTypes() {
        String validate = "iceberg:s.race?schemaMode=inferred&operation=validate";
        // neither is committed yet: the table has no column f at all
        template.sendBody(validate, List.of(event("a", "{\"f\":1}")));
        assertThatThrownBy(() -> template.sendBody(validate, List.of(event("b", "{\"f\":\"x\"}"))))
                .cause().isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("data.f");
    }

    @Test
    void declaredSchemaTypesThePayload() throws Exception {
        String schema = "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
                + "{\"id\":1,\"name\":\"sku\",\"required\":true,\"type\":\"string\"},"
                + "{\"id\":2,\"name\":\"qty\",\"required\":false,\"type\":\"long\"}]}";
        String uri = "iceberg:s.declared?schemaMode=declared&declaredSchema=RAW(" + schema + ")";
        template.sendBody(uri, List.of(event("1", "{\"sku\":\"A-1\",\"qty\":3,\"ignored\":true}")));

        Table t = table("declared");
        assertThat(t.schema().findField("payload.sku").isRequired()).isTrue();
        assertThat(payload(t, "ignored")).isNull();
        Record payload = (Record) rows("declared").get(0).getField("payload");
        assertThat(payload.getField("sku")).isEqualTo("A-1");
        assertThat(payload.getField("qty")).isEqualTo(3L);

        assertThatThrownBy(() -> template.sendBody(uri + "&operation=validate", List.of(event("2", "{\"qty\":1}"))))
                .cause().hasMessageContaining("sku");
    }

    @Test
    void aRequiredColumnAnEventLacksBecomesOptional() throws Exception {
        // a table someone created with a required typed column
        List<Types.NestedField> columns = new ArrayList<>(EventTableLayout.SCHEMA.columns());
        columns.add(Types.NestedField.optional(100, "payload", Types.StructType.of(
                Types.NestedField.required(101, "sku", Types.StringType.get()),
                Types.NestedField.optional(102, "qty", Types.IntegerType.get()))));
        catalog.createTable(TableIdentifier.of("s", "required"), new org.apache.iceberg.Schema(columns));

        template.sendBody("iceberg:s.required?schemaMode=inferred", List.of(event("1", "{\"qty\":2}")));

        Table t = table("required");
        assertThat(t.schema().findField("payload.sku").isOptional()).isTrue();
        Record payload = (Record) rows("required").get(0).getField("payload");
        assertThat(payload.getField("sku")).isNull();
        assertThat(payload.getField("qty")).isEqualTo(2);
    }

    @Test
    void dedupWindowDropsRedeliveriesAcrossCommitsAndRestarts() throws Exception {
        String uri = "iceberg:s.window?dedupWindowSeconds=600";
        template.sendBody(uri, List.of(event("1", "{}"), event("2", "{}")));
        Exchange again = template.request(uri, e -> e.getIn().setBody(List.of(event("2", "{}"), event("3", "{}"))));
        assertThat(again.getException()).isNull();
        assertThat(again.getMessage().getHeader(IcebergConstants.RECORD_COUNT, Long.class)).isEqualTo(2L);
        assertThat(rows("window")).extracting(r -> r.getField("id")).containsExactlyInAnyOrder("1", "2", "3");

        // a new writer, as after a restart, reads the window back from the table's snapshots
        try (DefaultCamelContext restarted = new DefaultCamelContext()) {
            restarted.getRegistry().bind("catalog", catalog);
            restarted.start();
            restarted.createProducerTemplate().sendBody(uri, List.of(event("1", "{}"), event("4", "{}")));
        }
        assertThat(rows("window")).extracting(r -> r.getField("id")).containsExactlyInAnyOrder("1", "2", "3", "4");

        // without a window a redelivery in a later commit is written again
        template.sendBody("iceberg:s.nowindow", List.of(event("1", "{}")));
        template.sendBody("iceberg:s.nowindow", List.of(event("1", "{}")));
        assertThat(rows("nowindow")).hasSize(2);
    }

    @Test
    void dedupWithinACommit() throws Exception {
        template.sendBody("iceberg:s.dedup", List.of(event("1", "{}"), event("1", "{}"), event("2", "{}")));
        assertThat(rows("dedup")).hasSize(2);
        template.sendBody("iceberg:s.nodedup?dedup=false", List.of(event("1", "{}"), event("1", "{}")));
        assertThat(rows("nodedup")).hasSize(2);
    }
}
