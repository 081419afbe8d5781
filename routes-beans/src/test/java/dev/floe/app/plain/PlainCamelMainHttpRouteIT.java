package dev.floe.app.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

import org.apache.camel.main.Main;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/http-to-iceberg.yaml, from the repository, under plain Camel Main, as Camel K and Camel JBang run it: only
 * published jars on the class path (this module, camel-main, camel-yaml-dsl), no application.properties, and nothing
 * configured but where the embedded default keeps its data and a free port in place of 8080.
 */
class PlainCamelMainHttpRouteIT {

    static final Path ROUTE = Path.of("..", "routes", "http-to-iceberg.yaml").toAbsolutePath().normalize();

    @TempDir
    Path data;

    Main main;
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        port = freePort();
        main = new Main();
        main.configure().withRoutesIncludePattern("file:" + ROUTE);
        main.addInitialProperty("floe.data-dir", data.toString());
        main.addInitialProperty("floe.http.port", String.valueOf(port));
        main.start();
    }

    @AfterEach
    void stop() {
        main.stop();
    }

    @Test
    void cloudEventsPostedOverHttpAreCommittedThenAnswered() throws Exception {
        HttpResponse<String> binary = post(HttpRequest.newBuilder(uri()).header("ce-specversion", "1.0")
                .header("ce-id", "plain-1").header("ce-source", "/plain-camel").header("ce-type", "dev.floe.test")
                .header("Content-Type", "application/json"), "{\"n\":1}");
        HttpResponse<String> structured = post(
                HttpRequest.newBuilder(uri()).header("Content-Type", "application/cloudevents+json"),
                "{\"specversion\":\"1.0\",\"id\":\"plain-2\",\"source\":\"/plain-camel\",\"type\":\"dev.floe.test\","
                        + "\"datacontenttype\":\"application/json\",\"data\":{\"n\":2}}");

        assertThat(binary.statusCode()).as(binary.body()).isEqualTo(204);
        assertThat(structured.statusCode()).as(structured.body()).isEqualTo(204);
        assertThat(binary.headers().firstValue("Floe-Snapshot-Id")).isPresent();
        // answered after the commit: the rows are there, read through a catalog of our own
        assertThat(rows()).extracting(r -> r.getField("id") + " " + r.getField("data"))
                .containsExactlyInAnyOrder("plain-1 {\"n\":1}", "plain-2 {\"n\":2}");
    }

    @Test
    void anInvalidCloudEventIsRefusedWithAProblemAndNothingIsWritten() throws Exception {
        HttpResponse<String> invalid = post(HttpRequest.newBuilder(uri()).header("ce-specversion", "1.0")
                .header("ce-id", "bad-1").header("Content-Type", "application/json"), "{}");
        HttpResponse<String> notAnEvent = post(HttpRequest.newBuilder(uri()).header("Content-Type", "text/plain"),
                "hello");

        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(invalid.body()).contains("source").contains("type");
        assertThat(notAnEvent.statusCode()).isEqualTo(415);
        assertThat(data.resolve("warehouse/default/events")).doesNotExist();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    HttpResponse<String> post(HttpRequest.Builder request, String body) throws Exception {
        return http.send(
                request.timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    List<Record> rows() throws Exception {
        // the embedded default: JDBC on SQLite in floe.data-dir, the warehouse beside it; JDBC catalogs keep their tables
        // under the catalog name (floe.catalog.name, default floe)
        Catalog catalog = CatalogUtil.buildIcebergCatalog("floe",
                Map.of("type", "jdbc", "uri", "jdbc:sqlite:" + data.resolve("catalog.db"), "warehouse",
                        data.resolve("warehouse").toString()),
                new Configuration());
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics
                .read(catalog.loadTable(TableIdentifier.of("default", "events"))).build()) {
            records.forEach(rows::add);
        } finally {
            ((AutoCloseable) catalog).close();
        }
        return rows;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
