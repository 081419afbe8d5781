package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM mid-batch, as Kubernetes stops a pod: Floe runs as its own process (the packaged fast-jar, prod profile,
 * configured through environment variables as the manifests configure it), holds five requests in a batch that would
 * wait a minute, gets SIGTERM, commits the batch, answers the requests 204 and exits within the grace period.
 */
class GracefulShutdownIT {

    static final Path JAR = Repository.ROOT.resolve("app/target/quarkus-app/quarkus-run.jar");
    /** terminationGracePeriodSeconds of k8s/base/deployment.yaml, less its 5 s preStop pause */
    static final int GRACE_SECONDS = 40;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    Process floe;

    @AfterEach
    void kill() {
        if (floe != null && floe.isAlive()) {
            floe.destroyForcibly();
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String get(URI uri) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (Exception e) {
            return "unreachable";
        }
    }

    static double received(URI metrics) {
        Matcher m = Pattern.compile("floe_events_received_total\\{route=\"http-to-iceberg\"} ([0-9.E]+)")
                .matcher(get(metrics));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void sigtermCommitsTheBatchInMemoryAnswersItsRequestsAndExits() throws Exception {
        assertThat(JAR).as("the packaged application: run the reactor build (./mvnw verify)").isRegularFile();
        int http = freePort();
        int management = freePort();
        String catalogUri = "jdbc:sqlite:" + dir.resolve("catalog/catalog.db");
        String warehouse = dir.resolve("warehouse").toUri().toString();

        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfloe.batch.max-wait-ms=60000",
                "-Dfloe.http.port=" + http,
                "-Dquarkus.management.port=" + management,
                "-jar", JAR.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(
                        new File(Repository.ROOT.resolve("deploy/target/graceful-shutdown-floe.log").toString()));
        // as the Deployment sets them (ConfigMap, Secret, env)
        builder.environment().putAll(Map.of(
                "FLOE_ROUTES_DIR", Repository.ROUTES.toString(),
                "FLOE_CATALOG_PROPERTIES_TYPE", "jdbc",
                "FLOE_CATALOG_PROPERTIES_URI", catalogUri,
                "FLOE_CATALOG_PROPERTIES_WAREHOUSE", warehouse));
        floe = builder.start();

        URI ready = URI.create("http://127.0.0.1:" + management + "/q/health/ready");
        await().atMost(Duration.ofSeconds(90)).until(() -> get(ready).startsWith("200"));

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            responses.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/"))
                    .header("ce-specversion", "1.0").header("ce-id", "term-" + i).header("ce-source", "/sigterm")
                    .header("ce-type", "dev.floe.test").header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(90))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"i\":" + i + "}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // all five admitted into the batch, which would wait a minute for more
        URI metrics = URI.create("http://127.0.0.1:" + management + "/q/metrics");
        await().atMost(Duration.ofSeconds(30)).until(() -> received(metrics) >= 5);
        assertThat(responses).noneMatch(CompletableFuture::isDone);

        long stopping = System.nanoTime();
        floe.destroy(); // SIGTERM
        boolean exited = floe.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopping);

        assertThat(exited).as("exited within %s s", GRACE_SECONDS).isTrue();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
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
        System.out.printf("Floe exited with %d, %d s after SIGTERM%n", floe.exitValue(), seconds);
    }
}
