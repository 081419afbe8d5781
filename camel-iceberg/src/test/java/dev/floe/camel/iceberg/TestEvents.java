package dev.floe.camel.iceberg;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.iceberg.catalog.TableIdentifier;

/** Numbered events and the data files on disk, for the tests that hold, lose or fail commits. */
final class TestEvents {

    private TestEvents() {
    }

    /** Events {@code prefix-0} … {@code prefix-(count-1)} from {@code source}. */
    static List<CloudEvent> numbered(String prefix, int count, String source) {
        return IntStream.range(0, count).mapToObj(i -> CloudEventBuilder.v1().withId(prefix + "-" + i)
                .withSource(URI.create(source)).withType("dev.floe.test").build()).map(CloudEvent.class::cast)
                .toList();
    }

    /** The Parquet files in a table's data folder below a local warehouse, committed or not. */
    static long parquetFiles(Path warehouse, String table) throws IOException {
        TableIdentifier id = TableIdentifier.parse(table);
        Path data = warehouse.resolve(id.namespace().toString()).resolve(id.name()).resolve("data");
        if (!Files.exists(data)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(f -> f.toString().endsWith(".parquet")).count();
        }
    }
}
