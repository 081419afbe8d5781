package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM mid-batch, as Kubernetes stops a pod: Floe runs as its own process (the packaged fast-jar, prod profile,
 * its catalog configured through environment variables as the manifests configure it), holds five requests in a
 * batch that would wait a minute, gets SIGTERM, commits the batch, answers the requests 204 and exits within the
 * grace period.
 */
class GracefulShutdownIT {

    /** terminationGracePeriodSeconds of k8s/base/deployment.yaml, less its 5 s preStop pause */
    static final int GRACE_SECONDS = 40;

    @TempDir
    Path dir;

    static double received(URI metrics) {
        Matcher m = Pattern.compile("floe_events_received_total\\{route=\"http-to-iceberg\"} ([0-9.E]+)")
                .matcher(FloeProcess.get(metrics));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void sigtermCommitsTheBatchInMemoryAnswersItsRequestsAndExits() throws Exception {
        String catalogUri = "jdbc:sqlite:" + dir.resolve("catalog/catalog.db");
        String warehouse = dir.resolve("warehouse").toUri().toString();
        try (FloeProcess floe = FloeProcess.start(dir, "graceful-shutdown-floe.log",
                Map.of("FLOE_CATALOG_PROPERTIES_TYPE", "jdbc", "FLOE_CATALOG_PROPERTIES_URI", catalogUri,
                        "FLOE_CATALOG_PROPERTIES_WAREHOUSE", warehouse),
                List.of("-Dfloe.batch.max-wait-ms=60000"))) {

            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                responses.add(FloeProcess.HTTP.sendAsync(FloeProcess.binaryEvent(floe.events(), "term-" + i).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // all five admitted into the batch, which would wait a minute for more
            await().atMost(Duration.ofSeconds(30)).until(() -> received(floe.management("/q/metrics")) >= 5);
            assertThat(responses).noneMatch(CompletableFuture::isDone);

            long stopping = System.nanoTime();
            floe.process.destroy(); // SIGTERM
            boolean exited = floe.process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopping);

            assertThat(exited).as("exited within %s s", GRACE_SECONDS).isTrue();
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
            }
            System.out.printf("Floe exited with %d, %d s after SIGTERM%n", floe.process.exitValue(), seconds);
        }
        Catalog catalog = CatalogUtil.buildIcebergCatalog("floe",
                Map.of("type", "jdbc", "uri", catalogUri, "warehouse", warehouse), new Configuration());
        try {
            Table table = catalog.loadTable(TableIdentifier.parse("default.events"));
            List<Record> rows = new ArrayList<>();
            try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
                it.forEach(rows::add);
            }
            assertThat(rows).extracting(r -> r.getField("id"))
                    .containsExactlyInAnyOrder("term-1", "term-2", "term-3", "term-4", "term-5");
            assertThat(table.snapshots()).as("the one batch, committed on shutdown").hasSize(1);
        } finally {
            ((AutoCloseable) catalog).close();
        }
    }
}
