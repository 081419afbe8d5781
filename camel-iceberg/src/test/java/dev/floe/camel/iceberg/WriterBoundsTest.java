package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** What one commit may cost whatever the events say: open writers, and columns gained by inference. */
class WriterBoundsTest extends CamelTestSupport {

    @BindToRegistry("catalog")
    private final JdbcCatalog catalog = catalog();

    /** InMemoryCatalog always uses its own FileIO; a JDBC catalog takes the counting one. */
    private static JdbcCatalog catalog() {
        JdbcCatalog c = new JdbcCatalog();
        c.initialize("bounds", Map.of(
                CatalogProperties.URI, "jdbc:sqlite:target/writer-bounds-" + UUID.randomUUID() + ".db",
                CatalogProperties.WAREHOUSE_LOCATION, "memory://warehouse",
                CatalogProperties.FILE_IO_IMPL, OpenFilesCountingFileIO.class.getName()));
        c.createNamespace(Namespace.of("w"));
        return c;
    }

    private static CloudEvent event(String id, String type, String json) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/w")).withType(type)
                .withData(new JsonEventData(json)).build();
    }

    private List<Record> rows(String name) throws Exception {
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(catalog.loadTable(TableIdentifier.of("w", name)))
                .build()) {
            it.forEach(rows::add);
        }
        return rows;
    }

    @Test
    void manyPartitionsInOneCommitOpenOneWriterAtATime() throws Exception {
        List<CloudEvent> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // interleaved: consecutive events never share a partition
            events.add(event("e" + i, "type-" + (i % 150), "{}"));
        }
        OpenFilesCountingFileIO.reset();
        template.sendBody("iceberg:w.parted?partitionSpec=identity(type)", events);

        List<Record> rows = rows("parted");
        Set<Object> ids = new HashSet<>();
        rows.forEach(r -> ids.add(r.getField("id")));
        assertThat(rows).hasSize(300);
        assertThat(ids).hasSize(300);
        Table table = catalog.loadTable(TableIdentifier.of("w", "parted"));
        List<DataFile> files = new ArrayList<>();
        table.currentSnapshot().addedDataFiles(table.io()).forEach(files::add);
        assertThat(files).as("one file per partition value of the commit").hasSize(150);
        assertThat(OpenFilesCountingFileIO.MOST_OPEN.get()).as("data files being written at once").isEqualTo(1);
    }

    @Test
    void upsertsIntoManyPartitionsOpenOnePartitionsWritersAtATime() throws Exception {
        List<CloudEvent> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(event("e" + (i % 50), "type-" + (i % 50), "{}"));
        }
        OpenFilesCountingFileIO.reset();
        template.sendBody("iceberg:w.upserts?partitionSpec=identity(type)&writeMode=upsert&identifierFields=id,type",
                events);

        assertThat(rows("upserts")).hasSize(50);
        // a partition's delta writer holds its data file and its delete files
        assertThat(OpenFilesCountingFileIO.MOST_OPEN.get()).isBetween(1, 3);
    }

    @Test
    void inferredColumnsHaveACap() throws Exception {
        String uri = "iceberg:w.capped?schemaMode=inferred&maxInferredColumns=3";
        template.sendBody(uri, List.of(event("1", "t", "{\"a\":1,\"b\":{\"c\":true}}")));

        assertThatThrownBy(() -> template.sendBody(uri + "&operation=validate",
                List.of(event("2", "t", "{\"d\":1}")))).isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("4 inferred columns").hasMessageContaining("maxInferredColumns (3)");
        assertThatThrownBy(() -> template.sendBody(uri, List.of(event("3", "t", "{\"d\":1}"))))
                .hasStackTraceContaining("maxInferredColumns (3)");

        Types.StructType payload = catalog.loadTable(TableIdentifier.of("w", "capped")).schema()
                .findField("payload").type().asStructType();
        assertThat(payload.fields()).extracting(Types.NestedField::name).containsExactly("a", "b");
        assertThat(rows("capped")).hasSize(1);
        // what fits still lands
        template.sendBody(uri, List.of(event("4", "t", "{\"a\":2}")));
        assertThat(rows("capped")).hasSize(2);
    }

    @Test
    void inferredColumnNamesAreChecked() throws Exception {
        String validate = "iceberg:w.names?schemaMode=inferred&operation=validate";
        for (String json : List.of("{\"\":1}", "{\"a.b\":1}", "{\"x\":{\"a\\u0001\":1}}", "{\"-a\":1}")) {
            assertThatThrownBy(() -> template.sendBody(validate, List.of(event("1", "t", json))))
                    .as(json).cause().isInstanceOf(IncompatibleSchemaException.class)
                    .hasMessageContaining("inferredColumnPattern");
        }
        template.sendBody(validate, List.of(event("1", "t", "{\"user_id\":1,\"first-name\":\"a\",\"N2\":{\"x\":1}}")));
        assertThatThrownBy(() -> template.sendBody("iceberg:w.names?schemaMode=inferred",
                List.of(event("2", "t", "{\"a.b\":1}")))).hasStackTraceContaining("inferredColumnPattern");
        assertThat(rows("names")).isEmpty();
    }
}
