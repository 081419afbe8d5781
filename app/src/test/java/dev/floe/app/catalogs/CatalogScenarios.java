package dev.floe.app.catalogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.floe.app.Tables;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/** What every catalog setup must do, from a user's side: HTTP in, rows out of the same catalog. */
final class CatalogScenarios {

    static final URI FLOE = URI.create("http://127.0.0.1:18080/");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private CatalogScenarios() {
    }

    static HttpResponse<String> send(String id) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(FLOE).timeout(Duration.ofSeconds(60))
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/catalogs")
                .header("ce-type", "dev.floe.test").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Long> idCounts(Catalog catalog, String prefix) {
        return idCounts(catalog, prefix, TableIdentifier.parse("default.events"));
    }

    static Map<String, Long> idCounts(Catalog catalog, String prefix, TableIdentifier id) {
        return Tables.rowsWithIdPrefix(catalog, id.toString(), prefix).stream()
                .collect(Collectors.groupingBy(r -> (String) r.getField("id"), Collectors.counting()));
    }

    /** Events sent over HTTP come back, once each, through the catalog; returns the table's data file paths. */
    static List<String> roundTrip(Catalog catalog) throws Exception {
        String prefix = "rt-" + UUID.randomUUID() + "-";
        for (int i = 0; i < 5; i++) {
            assertThat(send(prefix + i).statusCode()).isEqualTo(204);
        }
        Map<String, Long> counts = idCounts(catalog, prefix);
        assertThat(counts).hasSize(5).allSatisfy((k, v) -> assertThat(v).isEqualTo(1L));
        Table table = catalog.loadTable(TableIdentifier.parse("default.events"));
        List<String> files = new ArrayList<>();
        table.currentSnapshot().addedDataFiles(table.io()).forEach(f -> files.add(f.location()));
        return files;
    }

    /**
     * The catalog goes down: requests get 503 and readiness goes down; it comes back: readiness returns and the
     * retried requests land. Every acknowledged event is there exactly once; none is lost.
     */
    static void outage(Catalog catalog, ThrowingRunnable down, ThrowingRunnable up) throws Exception {
        String prefix = "out-" + UUID.randomUUID() + "-";
        List<String> acknowledged = new ArrayList<>();
        assertThat(send(prefix + "before").statusCode()).isEqualTo(204);
        acknowledged.add(prefix + "before");

        down.run();
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = send(prefix + i);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            refused.add(prefix + i);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get("http://127.0.0.1:19000/q/health/ready").statusCode() == 503);

        up.run();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> get("http://127.0.0.1:19000/q/health/ready").statusCode() == 200);
        for (String id : refused) {
            // the client retries what was refused, as Retry-After asks
            await().atMost(Duration.ofSeconds(60)).until(() -> send(id).statusCode() == 204);
            acknowledged.add(id);
        }
        Map<String, Long> counts = idCounts(catalog, prefix);
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(counts.values()).allMatch(n -> n == 1L);
    }

    /** No secret appears in Floe's log, metrics, health output or error bodies. */
    static void secretsStayHidden(String... secrets) throws Exception {
        List<String> outputs = new ArrayList<>();
        outputs.add(get("http://127.0.0.1:19000/q/metrics").body());
        outputs.add(get("http://127.0.0.1:19000/q/health").body());
        outputs.add(HTTP.send(HttpRequest.newBuilder(FLOE).header("ce-specversion", "1.0")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString()).body());
        outputs.add(Files.readString(Path.of("target/floe-test.log")));
        for (String output : outputs) {
            assertThat(output).isNotEmpty();
            for (String secret : secrets) {
                assertThat(output).doesNotContain(secret);
            }
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {

        void run() throws Exception;
    }
}
