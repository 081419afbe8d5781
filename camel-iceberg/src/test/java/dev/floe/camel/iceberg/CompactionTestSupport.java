package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.io.TempDir;

/** A real JDBC catalog (SQLite, local warehouse), written and compacted through the component. */
abstract class CompactionTestSupport extends CamelTestSupport {

    @TempDir
    static Path dir;

    String endpoint(String table, String options) {
        return "iceberg:" + table + "?catalogName=compaction&catalog.type=jdbc"
                + "&catalog.uri=RAW(jdbc:sqlite:" + dir.resolve("catalog.db") + "?journal_mode=WAL&busy_timeout=10000)"
                + "&catalog.warehouse=" + dir.resolve("warehouse").toUri() + options;
    }

    IcebergEndpoint icebergEndpoint(String table, String options) {
        return (IcebergEndpoint) context.getEndpoint(endpoint(table, options));
    }

    Table table(String table) {
        return icebergEndpoint(table, "").catalog().loadTable(TableIdentifier.parse(table));
    }

    /** Sends one batch and fails the test if it is not acknowledged. */
    void ingest(String table, String options, List<?> rows) {
        Exchange done = template.request(endpoint(table, options), e -> e.getIn().setBody(rows));
        assertThat(done.getException()).isNull();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> compact(String table, String options) {
        Exchange done = template.request(endpoint(table, "&operation=compact" + options), e -> {
        });
        assertThat(done.getException()).isNull();
        Map<String, Object> figures = done.getMessage().getBody(Map.class);
        assertThat(figures).containsEntry("operation", "compact").containsEntry("table", table);
        return figures;
    }

    static CloudEvent event(String id, String type, String subject, String json) {
        return CloudEventBuilder.v1()
                .withId(id)
                .withSource(URI.create("/sensors/" + id.hashCode() % 7))
                .withType(type)
                .withSubject(subject)
                .withTime(OffsetDateTime.parse("2026-11-22T10:15:30.123456Z").plusSeconds(id.hashCode() % 1000))
                .withDataContentType("application/json")
                .withDataSchema(URI.create("https://example.com/reading.json"))
                .withExtension("traceparent", "00-" + id)
                .withData(new JsonEventData(json))
                .build();
    }

    static List<Record> rows(Table table) throws Exception {
        table.refresh();
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
            it.forEach(rows::add);
        }
        return rows;
    }

    static List<DataFile> dataFiles(Table table) {
        table.refresh();
        List<DataFile> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(t -> files.add(t.file()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return files;
    }

    static long summaryLong(Table table, String key) {
        table.refresh();
        return Long.parseLong(table.currentSnapshot().summary().getOrDefault(key, "0"));
    }
}
