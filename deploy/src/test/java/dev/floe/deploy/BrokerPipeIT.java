package dev.floe.deploy;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kamelet.KameletComponent;
import org.apache.camel.component.knative.KnativeComponent;
import org.apache.camel.component.knative.spi.KnativeEnvironment;
import org.apache.camel.impl.DefaultCamelContext;
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
 * k8s/camel-k/pipe-broker.yaml as Camel K runs it: camel-knative-http's consumer (on an ephemeral Vert.x port, no
 * Quarkus) with the Knative environment Camel K generates for a Broker source ({@code knative.reply=false}), the
 * Pipe's source properties as the endpoint's parameters, and the iceberg-sink Kamelet on a real JDBC (SQLite)
 * catalog. What the Broker sees is the HTTP status: 5xx makes it retry and dead-letter, 2xx drops the event.
 */
class BrokerPipeIT {

    static final Path PIPE = Repository.K8S.resolve("camel-k/pipe-broker.yaml");

    @TempDir
    Path dir;

    Vertx vertx;
    DefaultCamelContext camel;
    Catalog catalog;
    int port;
    String eventType;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage()
                .toCompletableFuture().get();
        port = server.actualPort();

        JsonNode source = Repository.read(PIPE).at("/spec/source");
        Map<String, String> properties = new LinkedHashMap<>();
        source.path("properties").fields().forEachRemaining(p -> properties.put(p.getKey(), p.getValue().asText()));
        eventType = properties.remove("type");
        // as Camel K's knative-ref binding writes the source URI
        properties.putIfAbsent("apiVersion", source.at("/ref/apiVersion").asText());
        properties.putIfAbsent("kind", source.at("/ref/kind").asText());
        properties.putIfAbsent("name", source.at("/ref/name").asText());
        String from = "knative:event/" + eventType + "?" + properties.entrySet().stream()
                .map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining("&"));

        camel = new DefaultCamelContext();
        camel.getRegistry().bind("router", router);
        camel.getComponent("kamelet", KameletComponent.class).setLocation("file:" + Repository.KAMELETS);
        // the resource Camel K's knative trait generates for a Broker source: replies are off
        camel.getComponent("knative", KnativeComponent.class).setEnvironment(KnativeEnvironment
                .mandatoryLoadFromProperties(camel, new LinkedHashMap<>(Map.of("resources[0].name", eventType,
                        "resources[0].type", "event", "resources[0].endpointKind", "source", "resources[0].path",
                        "/", "resources[0].objectApiVersion", "eventing.knative.dev/v1", "resources[0].objectKind",
                        "Broker", "resources[0].objectName", "default", "resources[0].reply", "false"))));
        camel.addRoutes(new RouteBuilder() {

            @Override
            public void configure() {
                from(from).to("kamelet:iceberg-sink?table=it.broker&catalogType=jdbc&catalogUri=" + catalogUri()
                        + "&warehouse=" + warehouse().toUri() + "&batchSize=100&batchTimeout=100");
            }
        });
        camel.start();
        catalog = CatalogUtil.buildIcebergCatalog("iceberg", Map.of("type", "jdbc", "uri", catalogUri(),
                "warehouse", warehouse().toUri().toString()), new Configuration());
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (catalog instanceof AutoCloseable closeable) {
            closeable.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    String catalogUri() {
        return "jdbc:sqlite:" + dir.resolve("catalog.db");
    }

    Path warehouse() {
        return dir.resolve("warehouse");
    }

    /** What the Broker's dispatcher sends a Trigger's subscriber: a binary-mode CloudEvent. */
    HttpResponse<String> deliver(String id, String source, String subject) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", source)
                .header("ce-type", eventType).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reading\":21.5}"));
        if (subject != null) {
            request.header("ce-subject", subject);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    List<Record> rows() throws Exception {
        TableIdentifier id = TableIdentifier.parse("it.broker");
        if (!catalog.tableExists(id)) {
            return List.of();
        }
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(catalog.loadTable(id)).build()) {
            it.forEach(rows::add);
        }
        return rows;
    }

    @Test
    void aFailedCommitIsAnswered5xxAndTheRedeliveryIsWritten() throws Exception {
        // the warehouse cannot be written: a file stands where its folder should be
        Files.writeString(warehouse(), "not a folder");

        HttpResponse<String> failed = deliver("r-1", "/sensors/1", null);
        assertThat(failed.statusCode()).as("a failed commit must make the Broker retry").isBetween(500, 599);
        assertThat(rows()).isEmpty();

        // the storage is back; the Broker's retry delivers the same event again
        Files.delete(warehouse());
        HttpResponse<String> retried = deliver("r-1", "/sensors/1", null);
        assertThat(retried.statusCode()).as(retried::body).isBetween(200, 299);
        assertThat(rows()).extracting(r -> r.getField("id")).containsExactly("r-1");
    }

    @Test
    void aCommittedEventIsAnswered2xxWithoutAReplyEvent() throws Exception {
        HttpResponse<String> ok = deliver("r-2", "/sensors/2", null);

        assertThat(ok.statusCode()).as(ok::body).isBetween(200, 299);
        // a CloudEvent in the answer would go back into the Broker as a new event
        assertThat(ok.headers().map().keySet()).noneMatch(h -> h.regionMatches(true, 0, "ce-", 0, 3));
        assertThat(ok.body()).isEmpty();
        await().atMost(Duration.ofSeconds(20)).until(() -> rows().size() == 1);
        Record row = rows().get(0);
        assertThat(row.getField("id")).isEqualTo("r-2");
        assertThat(row.getField("type")).isEqualTo(eventType);
        assertThat(row.getField("data")).isEqualTo("{\"reading\":21.5}");
    }

    @Test
    void aRedeliveryOfACommittedEventIsNotWrittenAgain() throws Exception {
        // the Broker retries when the 2xx of a committed event was lost: same source and id
        assertThat(deliver("r-4", "/sensors/4", null).statusCode()).isBetween(200, 299);
        assertThat(deliver("r-4", "/sensors/4", null).statusCode()).isBetween(200, 299);
        assertThat(deliver("r-5", "/sensors/4", null).statusCode()).isBetween(200, 299);

        assertThat(rows()).extracting(r -> r.getField("id")).containsExactlyInAnyOrder("r-4", "r-5");
    }

    @Test
    void percentEncodedAttributeHeadersAreDecoded() throws Exception {
        // HTTP binding 3.1.3: header values are percent-encoded (space, '%' and non-ASCII as UTF-8 bytes at least;
        // a sender may encode more)
        HttpResponse<String> ok = deliver("r-3", "/sensors/hall%2DA", "hall%20A%3A%20caf%C3%A9%25");

        assertThat(ok.statusCode()).as(ok::body).isBetween(200, 299);
        Record row = rows().get(0);
        assertThat(row.getField("source")).isEqualTo("/sensors/hall-A");
        assertThat(row.getField("subject")).isEqualTo("hall A: café%");
    }
}
