package dev.floe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.floe.testing.KafkaBroker;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Floe and the Apache Iceberg Kafka Connect sink (IKC) side by side (issue 14): one KRaft broker, one topic of
 * structured CloudEvents preloaded once, then IKC, Floe, IKC, Floe… each into a new table with a new consumer group, on
 * the same kind of catalog (JDBC on a SQLite file, local warehouse); then the writer ceiling, and one markdown table.
 * <p>
 * Usage: SideBySide EVENTS IKC_LIB_DIR FLOE_JAR [ROUNDS]. JVM options from FLOE_JAVA_OPTS and IKC_JAVA_OPTS.
 */
public final class SideBySide {

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(args[0]);
        Path ikcLibs = Path.of(args[1]);
        Path floeJar = Path.of(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        List<String> floeOptions = options("FLOE_JAVA_OPTS", "");
        List<String> ikcOptions = options("IKC_JAVA_OPTS", IcebergKafkaConnect.DEFAULT_JAVA_OPTIONS);
        Path work = Files.createTempDirectory("floe-side-by-side");
        System.out.printf("work folder %s%nFloe JVM options: %s%nIKC JVM options: %s%n", work, floeOptions, ikcOptions);
        List<SinkRun> ikc = new ArrayList<>();
        List<SinkRun> floe = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start()) {
            String topic = "side-by-side";
            broker.createTopic(topic, 2);
            long t = System.nanoTime();
            long bytes = KafkaBench.preload(broker, topic, "structured", events);
            System.out.printf("preloaded %d events of %d B on average in %.0f s%n", events, bytes / events,
                    (System.nanoTime() - t) / 1e9);
            for (int round = 1; round <= rounds; round++) {
                ikc.add(report(runIkc(work.resolve("ikc-" + round), "ikc-" + round, broker, topic, events,
                        ikcLibs, ikcOptions)));
                floe.add(report(runFloe(work.resolve("floe-" + round), "floe-" + round, broker, topic, events,
                        floeJar, floeOptions)));
            }
        }
        double ceiling = ceiling();
        SideBySideReport.print(events, ikc, floe, ceiling);
    }

    private static SinkRun runIkc(Path dir, String name, KafkaBroker broker, String topic, int events, Path libs,
            List<String> javaOptions) throws Exception {
        Files.createDirectories(dir);
        broker.createTopic(IcebergKafkaConnect.controlTopic(name), 1);
        Map<String, String> catalogProperties = EmbeddedDefault.properties(dir);
        TableIdentifier table = TableIdentifier.of("bench", "events");
        // IKC names its catalog "iceberg" by default; a JDBC catalog sees only the tables of its own name
        try (JdbcCatalog catalog = catalog("iceberg", catalogProperties, true)) {
            // the sink creates the table, not its namespace
            catalog.createNamespace(Namespace.of("bench"));
            List<String> command = IcebergKafkaConnect.command(dir, name, broker.bootstrapServers(), topic,
                    table.toString(), catalogProperties, libs, javaOptions);
            return SinkRun.measure("IKC", command, dir.resolve("connect.log"), catalog, table, events, false);
        }
    }

    private static SinkRun runFloe(Path data, String group, KafkaBroker broker, String topic, int events, Path jar,
            List<String> javaOptions) throws Exception {
        Files.createDirectories(data);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(javaOptions);
        // as KafkaBench runs it, with Floe's default batching
        command.addAll(List.of("-Dfloe.data-dir=" + data, "-Dfloe.kafka.enabled=true", "-Dfloe.kafka.drain=true",
                "-Dfloe.kafka.bootstrap-servers=" + broker.bootstrapServers(), "-Dfloe.kafka.topics=" + topic,
                "-Dfloe.kafka.group-id=" + group, "-Dfloe.http.port=0", "-Dquarkus.management.port=0", "-jar",
                jar.toString()));
        // a second process on Floe's catalog: it only reads, and leaves creating the catalog's tables to Floe
        try (JdbcCatalog catalog = catalog("floe", EmbeddedDefault.properties(data), false)) {
            return SinkRun.measure("Floe", command, data.resolve("floe.log"), catalog,
                    TableIdentifier.parse("default.events"), events, true);
        }
    }

    private static SinkRun report(SinkRun run) {
        System.out.printf("%s: all rows %.1f s, first commit %.1f s, steady %.0f rows/s, %.0f rows/CPU-s, peak RSS %d "
                + "MB, %d commits, %d files, %.0f B/row, read back %d (%d distinct)%n", run.sink(),
                run.startToAllSeconds(), run.startToFirstSeconds(), run.steadyRowsPerSecond(), run.rowsPerCpuSecond(),
                run.peakRssMb(), run.commits(), run.contents().files(), run.bytesPerRow(),
                run.contents().rowsRead(), run.contents().distinctIds());
        return run;
    }

    private static JdbcCatalog catalog(String name, Map<String, String> properties, boolean initTables) {
        Map<String, String> p = new HashMap<>(properties);
        p.put("jdbc.init-catalog-tables", String.valueOf(initTables));
        JdbcCatalog catalog = new JdbcCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize(name, p);
        return catalog;
    }

    /** The writer ceiling of this machine now, in a JVM of its own as the sinks have. */
    private static double ceiling() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Ceiling.class.getName(), "500000")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        for (String line : out.split("\n")) {
            if (line.startsWith("ceiling_rows_per_s=")) {
                return Double.parseDouble(line.substring(line.indexOf('=') + 1));
            }
        }
        throw new IllegalStateException("the ceiling printed no figure: " + out);
    }

    private static List<String> options(String env, String defaults) {
        String value = System.getenv().getOrDefault(env, defaults).trim();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }
}
