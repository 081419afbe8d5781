package dev.floe.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import dev.floe.camel.iceberg.EventTableLayout;
import dev.floe.camel.iceberg.ForklessLocalFileSystem;
import dev.floe.camel.iceberg.IcebergConstants;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.UnpartitionedWriter;

/**
 * Where one commit cycle's time goes on Floe's embedded default (JDBC catalog on SQLite in WAL mode, local warehouse):
 * the steps of Floe's write path done one by one with Iceberg's own API on a table of Floe's layout, each timed, the
 * steps inside {@code AppendFiles.commit()} timed through {@link TimedTableOperations}; then the same cycle through the
 * {@code iceberg:} component (Camel producer, commit lane, dedup window), whose extra time is the component's own.
 * Prints one line per window of commits, so growth with the table's history shows.
 * <p>
 * Usage: CommitProfile [COMMITS] [EVENTS_PER_COMMIT] [WINDOW] [HADOOP_CONF] [CATALOG_PROPERTIES]
 * <br>
 * HADOOP_CONF: {@code floe} (default: the configuration Floe builds its catalog with, {@link ForklessLocalFileSystem})
 * or {@code hadoop} (Hadoop's default, as before issue 13); CATALOG_PROPERTIES: extra catalog properties,
 * {@code key=value,key=value}, over the embedded default's.
 */
public final class CommitProfile {

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 250;
        boolean floeConf = args.length <= 3 || !args[3].equals("hadoop");
        String extra = args.length > 4 ? args[4] : "";
        Path dir = Files.createTempDirectory("floe-commit-profile");
        // what Floe's CatalogProducer builds for the embedded default
        Map<String, String> props = new HashMap<>(EmbeddedDefault.properties(dir));
        for (String kv : extra.split(",")) {
            if (!kv.isBlank()) {
                props.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        if (props.containsKey("catalog-impl")) {
            props.remove("type");
        }
        Catalog catalog = CatalogUtil.buildIcebergCatalog("floe", props, hadoopConf(floeConf));
        ((SupportsNamespaces) catalog).createNamespace(Namespace.of("bench"));
        // the properties the component gives a table it creates (TableResolver)
        Table created = catalog.createTable(TableIdentifier.of("bench", "steps"), EventTableLayout.SCHEMA,
                PartitionSpec.unpartitioned(), Map.of("write.parquet.compression-codec", "zstd", "format-version", "2",
                        "write.metadata.delete-after-commit.enabled", "true"));
        System.out.printf("# %d commits of %d events; Hadoop configuration: %s; catalog %s%n", commits, events,
                floeConf ? "Floe's" : "Hadoop's default", new TreeMap<>(props));
        steps(created, commits, events, window);
        System.out.println();
        if (floeConf) {
            component(dir, props, commits, events, window);
        }
        ((AutoCloseable) catalog).close();
    }

    private static Configuration hadoopConf(boolean floe) {
        return floe ? ForklessLocalFileSystem.configuration() : new Configuration();
    }

    /** Floe's write path, step by step. */
    private static void steps(Table created, int commits, int events, int window) throws Exception {
        TableOperations raw = ((HasTableOperations) created).operations();
        TimedTableOperations ops = new TimedTableOperations(raw);
        Table table = new BaseTable(ops, created.name());
        Map<String, Long> own = new TreeMap<>();
        System.out.println("steps (mean ms per commit) | commits | snapshots | metadata.json KB | manifests");
        for (int c = 1; c <= commits; c++) {
            long t0 = System.nanoTime();
            ops.refreshStep("refresh before the cycle (TableWriter)");
            table.refresh();
            long t1 = System.nanoTime();
            List<Record> records = records(table, events, c);
            long t2 = System.nanoTime();
            DataFile file = write(created, records);
            long t3 = System.nanoTime();
            ops.refreshStep("refresh in apply (Iceberg's own)");
            AppendFiles append = table.newAppend();
            append.appendFile(file);
            append.set("floe.batch-id", UUID.randomUUID().toString());
            append.set("floe.offsets-complete", "true");
            append.commit();
            long t4 = System.nanoTime();
            table.currentSnapshot(); // BatchCommitter's findBatch
            long t5 = System.nanoTime();
            own.merge("1 refresh before the cycle", t1 - t0, Long::sum);
            own.merge("2 convert records", t2 - t1, Long::sum);
            own.merge("3 Parquet write + close", t3 - t2, Long::sum);
            own.merge("4 AppendFiles.commit() total", t4 - t3, Long::sum);
            own.merge("5 findBatch after commit", t5 - t4, Long::sum);
            if (c % window == 0) {
                report(table, raw, ops, own, c, window);
                own.clear();
                ops.reset();
            }
        }
    }

    private static void report(Table table, TableOperations raw, TimedTableOperations ops, Map<String, Long> own,
            int c, int window) throws Exception {
        TableMetadata current = raw.current();
        long size = Files.size(Path.of(URI.create("file:" + current.metadataFileLocation()).getPath()));
        // the metadata.json steps alone: serialize + write, read + parse, on a copy of the current file
        Path copy = Files.createTempFile("floe-", ".metadata.json");
        long w0 = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            TableMetadataParser.overwrite(current, table.io().newOutputFile(copy.toString()));
        }
        long w1 = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            TableMetadataParser.read(table.io(), copy.toString());
        }
        long w2 = System.nanoTime();
        Files.delete(copy);
        long s0 = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            raw.refresh(); // nothing changed: the SQL SELECT alone
        }
        long s1 = System.nanoTime();
        StringBuilder line = new StringBuilder();
        own.forEach((k, v) -> line.append(String.format("%s=%.2f ", k, v / 1e6 / window)));
        ops.nanos().forEach((k, v) -> line.append(String.format("[%s=%.2f x%.1f] ", k, v.sum() / 1e6 / window,
                ops.counts().get(k).sum() / (double) window)));
        line.append(String.format("{metadata.json write alone=%.2f, read+parse alone=%.2f, SQL select alone=%.2f}",
                (w1 - w0) / 1e7, (w2 - w1) / 1e7, (s1 - s0) / 1e7));
        System.out.printf("%s | %d | %d | %d | %d%n", line, c, current.snapshots().size(), size / 1024,
                current.currentSnapshot().allManifests(table.io()).size());
    }

    private static List<Record> records(Table table, int n, int commit) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Record> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            GenericRecord r = GenericRecord.create(table.schema());
            r.setField("id", "c" + commit + "-" + i);
            r.setField("source", "/bench/sensors/42");
            r.setField("specversion", "1.0");
            r.setField("type", "dev.floe.bench.reading");
            r.setField("subject", "room-17");
            r.setField("time", now);
            r.setField("datacontenttype", "application/json");
            r.setField("extensions", Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-00"));
            r.setField("data", Events.DATA);
            r.setField("ingest_time", now);
            records.add(r);
        }
        return records;
    }

    /** As the component's DataFileWriter does for an unpartitioned table. */
    private static DataFile write(Table table, List<Record> records) throws Exception {
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
                .dataFileFormat(FileFormat.PARQUET)
                .dataSchema(table.schema()).writerProperties(table.properties()).build();
        OutputFileFactory files = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET)
                .operationId(UUID.randomUUID().toString()).build();
        UnpartitionedWriter<Record> writer = new UnpartitionedWriter<>(table.spec(), FileFormat.PARQUET, writers,
                files, table.io(), 128L << 20);
        for (Record r : records) {
            writer.write(r);
        }
        return writer.complete().dataFiles()[0];
    }

    /** The same cycle through the iceberg: component: what it adds is Camel's, the lane's and the dedup window's. */
    private static void component(Path dir, Map<String, String> props, int commits, int events, int window)
            throws Exception {
        StringBuilder uri = new StringBuilder("iceberg:bench.component?catalogName=floe");
        props.forEach((k, v) -> uri.append("&catalog.").append(k).append("=RAW(").append(v).append(')'));
        System.out.println("component | commits | mean exchange ms | mean commit ms (the component's own figure)");
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            long total = 0;
            long commitMillis = 0;
            for (int c = 1; c <= commits; c++) {
                List<CloudEvent> batch = new ArrayList<>(events);
                for (int i = 0; i < events; i++) {
                    batch.add(CloudEventBuilder.v1().withId("c" + c + "-" + i)
                            .withSource(URI.create("/bench/sensors/42")).withType("dev.floe.bench.reading")
                            .withSubject("room-17").withTime(OffsetDateTime.now(ZoneOffset.UTC))
                            .withData("application/json", Events.DATA.getBytes()).build());
                }
                long t0 = System.nanoTime();
                Exchange done = producer.request(uri.toString(), e -> e.getIn().setBody(batch));
                total += System.nanoTime() - t0;
                if (done.getException() != null) {
                    throw done.getException();
                }
                commitMillis += done.getMessage().getHeader(IcebergConstants.COMMIT_DURATION, Long.class);
                if (c % window == 0) {
                    System.out.printf("component | %d | %.2f | %.2f%n", c, total / 1e6 / window,
                            commitMillis / (double) window);
                    total = 0;
                    commitMillis = 0;
                }
            }
        }
    }
}
