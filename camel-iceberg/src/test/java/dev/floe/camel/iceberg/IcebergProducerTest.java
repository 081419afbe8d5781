package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IcebergProducerTest extends CamelTestSupport {

    @TempDir
    static Path dir;

    private String endpoint(String table, String options) {
        return LocalCatalog.endpoint(dir, table, options);
    }

    private Catalog catalog(String table) {
        return ((IcebergEndpoint) context.getEndpoint(endpoint(table, ""))).catalog();
    }

    private static List<Record> rows(Table table) throws Exception {
        table.refresh();
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
            it.forEach(rows::add);
        }
        return rows;
    }

    private static CloudEvent event(String id) {
        return CloudEventBuilder.v1()
                .withId(id)
                .withSource(URI.create("/sensors/1"))
                .withType("dev.floe.reading")
                .withSubject("room-" + id)
                .withTime(OffsetDateTime.parse("2026-11-22T10:15:30.123456Z"))
                .withDataContentType("application/json")
                .withDataSchema(URI.create("https://example.com/reading.json"))
                .withExtension("traceparent", "00-abc")
                .withExtension("sequence", 7)
                .withData("{\"celsius\":21.5}".getBytes(StandardCharsets.UTF_8))
                .build();
    }

    @Test
    void uniqueColumnsAreWrittenWithoutADictionary() throws Exception {
        template.request(endpoint("it.dict", ""), e -> e.getIn().setBody(List.of(event("1"), event("2"), event("3"))));

        Table table = catalog("it.dict").loadTable(TableIdentifier.parse("it.dict"));
        assertThat(table.properties()).containsEntry("write.parquet.dict-encoding-enabled.column.id", "false")
                .containsEntry("write.parquet.dict-encoding-enabled.column.kafka.offset", "false");
        String location = table.currentSnapshot().addedDataFiles(table.io()).iterator().next().location();
        Path file = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            Map<String, Boolean> dictionaries = new java.util.HashMap<>();
            reader.getFooter().getBlocks().get(0).getColumns()
                    .forEach(c -> dictionaries.put(c.getPath().toDotString(), c.hasDictionaryPage()));
            // the same source in every row: a dictionary still serves it
            assertThat(dictionaries).containsEntry("id", false).containsEntry("source", true);
        }
    }

    @Test
    void autoCreatesTableAndWritesEveryAttribute() throws Exception {
        Exchange result = template.request(endpoint("it.events", ""),
                e -> e.getIn().setBody(List.of(event("1"), event("2"))));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(IcebergConstants.RECORD_COUNT, Long.class)).isEqualTo(2L);
        assertThat(result.getMessage().getHeader(IcebergConstants.DATA_FILES, Integer.class)).isEqualTo(1);
        assertThat(result.getMessage().getHeader(IcebergConstants.DATA_FILE_BYTES, Long.class)).isPositive();

        Table table = catalog("it.events").loadTable(TableIdentifier.parse("it.events"));
        Snapshot snapshot = table.currentSnapshot();
        assertThat(result.getMessage().getHeader(IcebergConstants.SNAPSHOT_ID, Long.class))
                .isEqualTo(snapshot.snapshotId());
        assertThat(snapshot.summary()).containsEntry(IcebergConstants.SUMMARY_BATCH_ID, result.getExchangeId());
        assertThat(table.properties()).containsEntry("write.parquet.compression-codec", "zstd");
        assertThat(table.currentSnapshot().addedDataFiles(table.io()))
                .extracting(DataFile::location).allMatch(l -> l.endsWith(".parquet"));

        List<Record> rows = rows(table);
        assertThat(rows).hasSize(2);
        Record row = rows.stream().filter(r -> r.getField("id").equals("1")).findFirst().orElseThrow();
        assertThat(row.getField("source")).isEqualTo("/sensors/1");
        assertThat(row.getField("specversion")).isEqualTo("1.0");
        assertThat(row.getField("type")).isEqualTo("dev.floe.reading");
        assertThat(row.getField("subject")).isEqualTo("room-1");
        assertThat(row.getField("time")).isEqualTo(OffsetDateTime.parse("2026-11-22T10:15:30.123456Z"));
        assertThat(row.getField("datacontenttype")).isEqualTo("application/json");
        assertThat(row.getField("dataschema")).isEqualTo("https://example.com/reading.json");
        assertThat(row.getField("extensions")).isEqualTo(Map.of("traceparent", "00-abc", "sequence", "7"));
        assertThat(row.getField("data")).isEqualTo("{\"celsius\":21.5}");
        assertThat(row.getField("data_bytes")).isNull();
        assertThat(row.getField("ingest_time")).isNotNull();
    }

    @Test
    void nonJsonDataIsKeptAsBytes() throws Exception {
        CloudEvent xml = CloudEventBuilder.v1(event("x")).withDataContentType("text/xml")
                .withData("<a/>".getBytes(StandardCharsets.UTF_8)).build();
        CloudEvent json = CloudEventBuilder.v1(event("j")).withoutDataContentType()
                .withData(new JsonEventData("[1,2]")).build();
        template.sendBody(endpoint("it.payloads", ""), List.of(xml, json));

        List<Record> rows = rows(catalog("it.payloads").loadTable(TableIdentifier.parse("it.payloads")));
        Record xmlRow = rows.stream().filter(r -> r.getField("id").equals("x")).findFirst().orElseThrow();
        assertThat(xmlRow.getField("data")).isNull();
        assertThat(xmlRow.getField("data_bytes")).isEqualTo(ByteBuffer.wrap("<a/>".getBytes(StandardCharsets.UTF_8)));
        Record jsonRow = rows.stream().filter(r -> r.getField("id").equals("j")).findFirst().orElseThrow();
        assertThat(jsonRow.getField("data")).isEqualTo("[1,2]");
        assertThat(jsonRow.getField("datacontenttype")).isNull();
    }

    @Test
    void partitionSpecSplitsFilesByPartition() throws Exception {
        CloudEvent a = CloudEventBuilder.v1(event("a")).withType("alpha").build();
        CloudEvent b = CloudEventBuilder.v1(event("b")).withType("beta").build();
        CloudEvent c = CloudEventBuilder.v1(event("c")).withType("alpha").build();
        Exchange result = template.request(endpoint("it.parted", "&partitionSpec=day(time), identity(type)"),
                e -> e.getIn().setBody(List.of(a, b, c)));

        assertThat(result.getMessage().getHeader(IcebergConstants.DATA_FILES, Integer.class)).isEqualTo(2);
        Table table = catalog("it.parted").loadTable(TableIdentifier.parse("it.parted"));
        assertThat(table.spec().fields()).hasSize(2);
        for (DataFile file : table.currentSnapshot().addedDataFiles(table.io())) {
            String type = file.partition().get(1, String.class);
            assertThat(file.location()).contains("type=" + type);
            assertThat(file.recordCount()).isEqualTo(type.equals("alpha") ? 2 : 1);
        }
        assertThat(rows(table)).hasSize(3);
    }

    @Test
    void mapRowsAreConvertedByTheTableSchema() throws Exception {
        Map<String, Object> row = Map.of("id", "m1", "source", "/maps", "specversion", "1.0", "type", "t",
                "time", "2026-01-02T03:04:05Z", "ingest_time", OffsetDateTime.now());
        template.sendBody(endpoint("it.maps", ""), List.of(row));
        List<Record> rows = rows(catalog("it.maps").loadTable(TableIdentifier.parse("it.maps")));
        assertThat(rows).singleElement()
                .satisfies(r -> assertThat(r.getField("time")).isEqualTo(OffsetDateTime.parse("2026-01-02T03:04:05Z")));
    }

    @Test
    void badRowFailsTheWholeBatchAndWritesNothing() throws Exception {
        Map<String, Object> bad = Map.of("id", "m2", "source", "/maps", "specversion", "1.0", "type", "t",
                "time", "not a time", "ingest_time", OffsetDateTime.now());
        assertThatThrownBy(() -> template.sendBody(endpoint("it.bad", ""), List.of(event("ok"), bad)))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(IcebergWriteException.class)
                .hasMessageContaining("it.bad").hasMessageContaining("row 1").hasMessageContaining("time");
        Table table = catalog("it.bad").loadTable(TableIdentifier.parse("it.bad"));
        assertThat(table.currentSnapshot()).isNull();
    }

    @Test
    void tableHeaderIsValidated() {
        assertThatThrownBy(() -> template.sendBodyAndHeader(endpoint("it.events", ""), List.of(event("h")),
                IcebergConstants.TABLE, "../etc.passwd"))
                .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid Iceberg table");
    }

    @Test
    void invalidEndpointTableIsRejected() {
        assertThatThrownBy(() -> context.getEndpoint("iceberg:noNamespace")).hasMessageContaining("namespace.table");
    }

    @Test
    void missingCatalogConfigurationIsAClearError() {
        assertThatThrownBy(() -> template.sendBody("iceberg:x.y", List.of(event("c"))))
                .cause().hasMessageContaining("No Iceberg catalog");
    }

    @Test
    void noAutoCreateFailsOnMissingTable() {
        assertThatThrownBy(
                () -> template.sendBody(endpoint("it.absent", "&autoCreateTable=false"), List.of(event("n"))))
                .cause().isInstanceOf(IcebergWriteException.class).hasMessageContaining("does not exist");
    }
}
