package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Map;

import dev.floe.camel.iceberg.cloudevents.InvalidCloudEventException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kamelet.KameletComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
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
 * The Kamelets of kamelets/ run in plain Camel (camel-kamelet + camel-yaml-dsl, as Camel K and Camel JBang load them)
 * against a real JDBC catalog on SQLite; rows are read back with Iceberg's own reader.
 */
class IcebergSinkKameletIT {

    @TempDir
    Path dir;

    DefaultCamelContext camel;
    ProducerTemplate producer;
    Catalog catalog;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.getComponent("kamelet", KameletComponent.class).setLocation("file:" + Repository.KAMELETS);
        camel.addRoutes(new RouteBuilder() {

            @Override
            public void configure() {
                from("direct:batched").to(sink("it.batched", 3, 60_000));
                from("direct:trickle").to(sink("it.trickle", 1000, 300));
                from("direct:validate").to("kamelet:cloudevents-validate-action");
            }
        });
        camel.start();
        producer = camel.createProducerTemplate();
        // a JDBC catalog sees only the tables of its own name: the component's default, "iceberg"
        catalog = CatalogUtil.buildIcebergCatalog("iceberg", Map.of("type", "jdbc", "uri", catalogUri(),
                "warehouse", dir.resolve("warehouse").toUri().toString()), new Configuration());
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (catalog instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    String catalogUri() {
        return "jdbc:sqlite:" + dir.resolve("catalog.db");
    }

    String sink(String table, int batchSize, int batchTimeout) {
        return "kamelet:iceberg-sink?table=" + table + "&catalogType=jdbc&catalogUri=" + catalogUri()
                + "&warehouse=" + dir.resolve("warehouse").toUri() + "&batchSize=" + batchSize + "&batchTimeout="
                + batchTimeout;
    }

    static Map<String, Object> binary(String id) {
        return Map.of("ce-specversion", "1.0", "ce-id", id, "ce-source", "/kamelet/test", "ce-type", "dev.floe.test",
                Exchange.CONTENT_TYPE, "application/json");
    }

    List<Record> rows(String table) throws Exception {
        TableIdentifier id = TableIdentifier.parse(table);
        if (!catalog.tableExists(id)) {
            return List.of();
        }
        Table t = catalog.loadTable(id);
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(t).build()) {
            it.forEach(rows::add);
        }
        return rows;
    }

    @Test
    void messagesInFlightTogetherShareOneCommit() throws Exception {
        List<CompletableFuture<Object>> sent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            sent.add(producer.asyncRequestBodyAndHeaders("direct:batched", "{\"n\":" + i + "}", binary("b-" + i)));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(rows("it.batched")).hasSize(3);
        Table table = catalog.loadTable(TableIdentifier.parse("it.batched"));
        assertThat(table.snapshots()).as("one commit for the batch of three").hasSize(1);
        assertThat(rows("it.batched")).extracting(r -> r.getField("id")).containsExactlyInAnyOrder("b-1", "b-2", "b-3");
        assertThat(rows("it.batched")).extracting(r -> r.getField("data"))
                .containsExactlyInAnyOrder("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    }

    @Test
    void aPartialBatchCommitsWhenItsTimeIsUp() throws Exception {
        producer.sendBodyAndHeader("direct:trickle", """
                {"specversion":"1.0","id":"s-1","source":"/kamelet/structured","type":"dev.floe.test","data":{"x":1}}
                """, Exchange.CONTENT_TYPE, "application/cloudevents+json");
        // as the camel-knative consumer hands an event over: Camel's CloudEvent headers, not ce- headers
        producer.sendBodyAndHeaders("direct:trickle", "{\"k\":true}", Map.of("CamelCloudEventID", "k-1",
                "CamelCloudEventSource", "/knative/broker", "CamelCloudEventVersion", "1.0", "CamelCloudEventType",
                "dev.floe.knative", "CamelCloudEventSubject", "s", "CamelCloudEventTime", "2026-11-22T10:00:00Z",
                Exchange.CONTENT_TYPE, "application/json"));

        await().atMost(Duration.ofSeconds(20)).until(() -> rows("it.trickle").size() == 2);
        Record knative = rows("it.trickle").stream().filter(r -> r.getField("id").equals("k-1")).findFirst()
                .orElseThrow();
        assertThat(knative.getField("source")).isEqualTo("/knative/broker");
        assertThat(knative.getField("type")).isEqualTo("dev.floe.knative");
        assertThat(knative.getField("subject")).isEqualTo("s");
        assertThat(knative.getField("data")).isEqualTo("{\"k\":true}");
    }

    @Test
    void anInvalidEventFailsTheExchangeAndIsNotWritten() throws Exception {
        Map<String, Object> noType = new java.util.HashMap<>(binary("bad-1"));
        noType.remove("ce-type");
        assertThatThrownBy(() -> producer.sendBodyAndHeaders("direct:trickle", "{}", noType))
                .isInstanceOf(CamelExecutionException.class).cause().isInstanceOf(InvalidCloudEventException.class)
                .hasMessageContaining("type");
        producer.sendBodyAndHeaders("direct:trickle", "{}", binary("good-1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows("it.trickle").size() == 1);
        assertThat(rows("it.trickle")).extracting(r -> r.getField("id")).containsExactly("good-1");
    }

    @Test
    void aMessageIsAcknowledgedOnlyAfterItsCommit() throws Exception {
        CompletableFuture<Object> first = producer.asyncRequestBodyAndHeaders("direct:batched", "{}", binary("ack-1"));
        CompletableFuture<Object> second = producer.asyncRequestBodyAndHeaders("direct:batched", "{}", binary("ack-2"));
        // the batch size is 3 and the linger a minute: nothing is committed, so nothing is acknowledged
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(rows("it.batched")).isEmpty();

        producer.requestBodyAndHeaders("direct:batched", "{}", binary("ack-3"));
        assertThat(first).succeedsWithin(Duration.ofSeconds(20));
        assertThat(second).succeedsWithin(Duration.ofSeconds(20));
        assertThat(rows("it.batched")).extracting(r -> r.getField("id")).containsExactlyInAnyOrder("ack-1", "ack-2",
                "ack-3");
    }

    @Test
    void aCatalogBeanInTheRegistryDoesNotReplaceTheCatalogTheParametersName() throws Exception {
        // the Floe application binds a Catalog bean; the iceberg component autowires the only one it finds
        Catalog decoy = CatalogUtil.buildIcebergCatalog("iceberg", Map.of("type", "jdbc", "uri",
                "jdbc:sqlite:" + dir.resolve("decoy.db"), "warehouse", dir.resolve("decoy").toUri().toString()),
                new Configuration());
        try (DefaultCamelContext withBean = new DefaultCamelContext()) {
            withBean.getRegistry().bind("floeCatalog", decoy);
            withBean.getComponent("kamelet", KameletComponent.class).setLocation("file:" + Repository.KAMELETS);
            withBean.addRoutes(new RouteBuilder() {

                @Override
                public void configure() {
                    from("direct:sink").to(sink("it.named", 1, 100));
                }
            });
            withBean.start();
            withBean.createProducerTemplate().requestBodyAndHeaders("direct:sink", "{}", binary("named-1"));
        } finally {
            if (decoy instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        assertThat(rows("it.named")).extracting(r -> r.getField("id")).containsExactly("named-1");
    }

    @Test
    void theValidateActionPassesAValidEventOnUnchanged() {
        byte[] body = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        Exchange out = producer.request("direct:validate", e -> {
            e.getIn().setBody(body);
            e.getIn().setHeaders(new java.util.HashMap<>(binary("v-1")));
        });
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(byte[].class)).isEqualTo(body);
        assertThat(out.getMessage().getHeader("ce-id")).isEqualTo("v-1");
    }

    @Test
    void theValidateActionRejectsAnInvalidEvent() {
        Exchange out = producer.request("direct:validate", e -> {
            e.getIn().setBody("{\"specversion\":\"0.3\",\"id\":\"x\"}");
            e.getIn().setHeader(Exchange.CONTENT_TYPE, "application/cloudevents+json");
        });
        assertThat(out.getException()).isInstanceOf(InvalidCloudEventException.class)
                .hasMessageContaining("specversion");
    }
}
