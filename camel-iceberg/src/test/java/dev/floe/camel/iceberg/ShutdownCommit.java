package dev.floe.camel.iceberg;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.iceberg.util.ThreadPools;

/**
 * Run in a JVM of its own by {@link ShutdownCommitTest}: what a batch completed at SIGTERM goes through. Iceberg's
 * worker pools are shut by Iceberg's own shutdown hook as soon as the JVM starts exiting, while Camel (in Floe, Quarkus'
 * hook) still commits the last batches. This hook waits for that, then commits a batch that is the table's first in
 * this component, so its dedup window is read from a table of two manifests, and prints the outcome.
 */
public final class ShutdownCommit {

    public static void main(String[] args) throws Exception {
        String uri = "iceberg:it.shutdown?catalogName=shutdown&catalog.type=jdbc&catalog.uri=jdbc:sqlite:"
                + Path.of(args[0]).resolve("catalog.db") + "&catalog.warehouse="
                + Path.of(args[0]).resolve("warehouse").toUri() + "&dedupWindowSeconds=600";
        try (CamelContext before = new DefaultCamelContext()) {
            before.start();
            ProducerTemplate template = before.createProducerTemplate();
            // two commits, two manifests: planning a scan of them uses a worker pool
            template.requestBody(uri, TestEvents.numbered("first", 10, "/shutdown"));
            template.requestBody(uri, TestEvents.numbered("second", 10, "/shutdown"));
        }
        CamelContext camel = new DefaultCamelContext();
        camel.start();
        ProducerTemplate template = camel.createProducerTemplate();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> ThreadPools.getWorkerPool().isShutdown()
                    && ThreadPools.getDeleteWorkerPool().isShutdown());
            try {
                template.requestBody(uri, TestEvents.numbered("at-exit", 10, "/shutdown"));
                System.out.println("committed");
            } catch (Exception e) {
                System.out.println("failed: " + org.apache.camel.util.ObjectHelper.getException(Exception.class, e));
                e.printStackTrace(System.out);
            }
            System.out.flush();
        }));
        System.exit(0);
    }
}
