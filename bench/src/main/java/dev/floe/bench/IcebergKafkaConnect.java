package dev.floe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the side-by-side benchmark runs the Apache Iceberg Kafka Connect sink: Kafka Connect standalone in a JVM of its
 * own, one task, schemaless JSON (the CloudEvent's JSON object becomes the row, the table is auto-created from it),
 * commits every 10 s, on a JDBC catalog on a SQLite file with a local warehouse, as Floe's embedded default is.
 */
final class IcebergKafkaConnect {

    /** The JVM options of Kafka's own start scripts (kafka-run-class.sh) for Connect. */
    static final String DEFAULT_JAVA_OPTIONS = "-Xms256M -Xmx2G -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 "
            + "-XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 "
            + "-Djava.awt.headless=true";

    private IcebergKafkaConnect() {
    }

    /**
     * Writes the worker's and the connector's properties into {@code dir} and returns the command that starts Connect.
     * {@code name} names the connector (so its consumer group, connect-NAME, is new) and its control topic.
     */
    static List<String> command(Path dir, String name, String bootstrapServers, String topic, String table,
            Map<String, String> catalog, Path libs, List<String> javaOptions) throws IOException {
        Path worker = write(dir.resolve("worker.properties"), Map.of(
                "bootstrap.servers", bootstrapServers,
                "key.converter", "org.apache.kafka.connect.json.JsonConverter",
                "key.converter.schemas.enable", "false",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "false",
                "offset.storage.file.filename", dir.resolve("connect.offsets").toString(),
                // as Kafka's config/connect-standalone.properties sets it. It also bounds how long an idle consumer
                // poll blocks, and the sink answers its coordinator's commit requests only between polls: with
                // Connect's default (60 s) the commits after the backlog time out (30 s) again and again
                "offset.flush.interval.ms", "10000",
                // no fixed REST port: other processes on the machine may hold 8083
                "listeners", "http://127.0.0.1:0",
                "plugin.discovery", "only_scan"));
        Map<String, String> connector = new java.util.TreeMap<>(Map.of(
                "name", name,
                "connector.class", "org.apache.iceberg.connect.IcebergSinkConnector",
                "tasks.max", "1",
                "topics", topic,
                "iceberg.tables", table,
                "iceberg.tables.auto-create-enabled", "true",
                "iceberg.control.topic", controlTopic(name),
                "iceberg.control.commit.interval-ms", "10000",
                "iceberg.kafka.bootstrap.servers", bootstrapServers));
        catalog.forEach((k, v) -> connector.put("iceberg.catalog." + k, v));
        Path connectorFile = write(dir.resolve("connector.properties"), connector);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(javaOptions);
        // times in its log, to tell where a slow commit cycle went
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", libs.toAbsolutePath() + "/*",
                "org.apache.kafka.connect.cli.ConnectStandalone",
                worker.toString(), connectorFile.toString()));
        return command;
    }

    static String controlTopic(String name) {
        return "control-" + name;
    }

    private static Path write(Path file, Map<String, String> properties) throws IOException {
        return Files.writeString(file, properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
    }
}
