package dev.floe.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.camel.iceberg.EventTableLayout;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.DataWriter;

/**
 * The ceiling for Floe's rows on this machine: bytes → Jackson → Iceberg record → Parquet through Iceberg's own
 * writer, one thread, no network, no commit. Prints rows per second.
 */
public final class Ceiling {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        Path dir = Files.createTempDirectory("floe-ceiling");
        HadoopCatalog catalog = new HadoopCatalog(new Configuration(), dir.toString());
        catalog.createNamespace(Namespace.of("bench"));
        Table table = catalog.createTable(TableIdentifier.of("bench", "ceiling"), EventTableLayout.SCHEMA,
                PartitionSpec.unpartitioned(), Map.of("write.parquet.compression-codec", "zstd"));
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            inputs.add(Events.structured("id-" + i).getBytes(StandardCharsets.UTF_8));
        }
        ObjectMapper json = new ObjectMapper();
        run(table, json, inputs, rows / 5, dir); // warm-up
        long start = System.nanoTime();
        run(table, json, inputs, rows, dir);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("ceiling_rows_per_s=%.0f%n", rows / seconds);
    }

    private static void run(Table table, ObjectMapper json, List<byte[]> inputs, int rows, Path dir) throws Exception {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table).build();
        Path file = dir.resolve("c-" + System.nanoTime() + ".parquet");
        DataWriter<Record> writer = writers.newDataWriter(
                EncryptedFiles.plainAsEncryptedOutput(table.io().newOutputFile(file.toString())), table.spec(), null);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (writer) {
            for (int i = 0; i < rows; i++) {
                JsonNode event = json.readTree(inputs.get(i % inputs.size()));
                GenericRecord r = GenericRecord.create(table.schema());
                r.setField("id", event.get("id").textValue());
                r.setField("source", event.get("source").textValue());
                r.setField("specversion", event.get("specversion").textValue());
                r.setField("type", event.get("type").textValue());
                r.setField("subject", event.get("subject").textValue());
                r.setField("time", OffsetDateTime.parse(event.get("time").textValue()));
                r.setField("datacontenttype", event.get("datacontenttype").textValue());
                Map<String, String> ext = new HashMap<>();
                ext.put("traceparent", event.get("traceparent").textValue());
                r.setField("extensions", ext);
                r.setField("data", event.get("data").toString());
                r.setField("ingest_time", now);
                writer.write(r);
            }
        }
        DataFile written = writer.toDataFile();
        if (written.recordCount() != rows) {
            throw new IllegalStateException("wrote " + written.recordCount() + " rows, expected " + rows);
        }
    }
}
