package dev.floe.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * What the table-fed dedup window costs: replica A commits batches of {@code foreignRows} events to a table; after each,
 * replica B commits a small batch of its own, with the window on (it first reads the source and id of A's new snapshot)
 * and, in a second table, off. Two Camel contexts with their own catalogs on one JDBC-SQLite catalog and local
 * warehouse, as two processes would be. Prints B's mean commit time both ways.
 */
public final class DedupCost {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int foreignRows = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path dir = Files.createTempDirectory("floe-dedup-cost");
        String catalog = "catalogName=bench&catalog.type=jdbc&catalog.uri=RAW(jdbc:sqlite:" + dir.resolve("catalog.db")
                + "?journal_mode=WAL&busy_timeout=10000)&catalog.warehouse=" + dir.resolve("warehouse").toUri();
        try (DefaultCamelContext a = new DefaultCamelContext(); DefaultCamelContext b = new DefaultCamelContext()) {
            a.start();
            b.start();
            ProducerTemplate replicaA = a.createProducerTemplate();
            ProducerTemplate replicaB = b.createProducerTemplate();
            for (String mode : new String[]{"on", "off", "on", "off"}) {
                String table = "bench.dedup_" + mode + "_" + System.nanoTime();
                String window = mode.equals("on") ? "600" : "0";
                String uri = "iceberg:" + table + "?" + catalog + "&dedupWindowSeconds=" + window;
                replicaB.sendBody(uri, events("warm", 1));
                long totalNanos = 0;
                for (int r = 0; r < rounds; r++) {
                    replicaA.sendBody(uri, events("a" + r, foreignRows));
                    List<CloudEvent> own = events("b" + r, 10);
                    long start = System.nanoTime();
                    Exchange done = replicaB.request(uri, e -> e.getIn().setBody(own));
                    totalNanos += System.nanoTime() - start;
                    if (done.getException() != null) {
                        throw done.getException();
                    }
                }
                System.out.printf("dedup_window=%s rounds=%d foreign_rows_per_round=%d replica_b_commit_ms=%.1f%n",
                        mode, rounds, foreignRows, totalNanos / 1e6 / rounds);
            }
        }
    }

    private static List<CloudEvent> events(String prefix, int n) {
        List<CloudEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(CloudEventBuilder.v1().withId(prefix + "-" + i).withSource(URI.create("/bench/dedup"))
                    .withType("com.example.reading").withData("application/json", Events.DATA.getBytes()).build());
        }
        return events;
    }
}
