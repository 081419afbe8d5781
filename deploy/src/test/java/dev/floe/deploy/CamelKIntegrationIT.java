package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
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
 * The flow of the Camel K Integration example (k8s/camel-k/integration.yaml), with the properties of its camel trait,
 * run in plain Camel: the platform-http consumer Camel K would start is replaced by a direct endpoint, and the REST
 * catalog by a JDBC catalog on SQLite (without a credential, the one property the mounted Secret would add).
 */
class CamelKIntegrationIT {

    @TempDir
    Path dir;

    DefaultCamelContext camel;
    ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        JsonNode integration = Repository.documents(Repository.K8S.resolve("camel-k/integration.yaml")).get(0);
        Properties properties = new Properties();
        for (JsonNode p : integration.at("/spec/traits/camel/properties")) {
            String[] kv = p.asText().split("=", 2);
            properties.setProperty(kv[0], kv[1]);
        }
        assertThat(properties).containsKeys("floe.table", "floe.catalog.type");
        properties.setProperty("floe.catalog.type", "jdbc");
        properties.setProperty("floe.catalog.uri", "jdbc:sqlite:" + dir.resolve("catalog.db"));
        properties.setProperty("floe.catalog.warehouse", dir.resolve("warehouse").toUri().toString());

        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(properties);
        // Camel K reads the mounted Secret floe-catalog as properties (floe.catalog.credential); a JDBC catalog takes no
        // credential, so none is set here and {{?floe.catalog.credential}} leaves the option out
        assertThat(integration.at("/spec/traits/mount/configs").toString()).contains("secret:floe-catalog");
        String flows = Repository.YAML.writeValueAsString(integration.at("/spec/flows"));
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("integration.yaml", flows));
        AdviceWith.adviceWith(camel, "http-to-iceberg", route -> route.replaceFromWith("direct:http"));
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    Exchange post(String body, Map<String, Object> headers) {
        return producer.request("direct:http", e -> {
            e.getIn().setBody(body);
            e.getIn().setHeaders(new java.util.HashMap<>(headers));
        });
    }

    @Test
    void aValidEventIsCommittedThenAnswered204() throws Exception {
        Exchange out = post("{\"t\":21}", Map.of("ce-specversion", "1.0", "ce-id", "ck-1", "ce-source", "/camel-k",
                "ce-type", "dev.floe.test", Exchange.CONTENT_TYPE, "application/json"));

        assertThat(out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(204);
        assertThat(out.getMessage().getHeader("Floe-Snapshot-Id")).isNotNull();
        // answered after the commit: the row is already there
        Catalog catalog = CatalogUtil.buildIcebergCatalog("iceberg", Map.of("type", "jdbc", "uri",
                "jdbc:sqlite:" + dir.resolve("catalog.db"), "warehouse", dir.resolve("warehouse").toUri().toString()),
                new Configuration());
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics
                .read(catalog.loadTable(TableIdentifier.parse("default.events"))).build()) {
            it.forEach(rows::add);
        }
        assertThat(rows).extracting(r -> r.getField("id")).containsExactly("ck-1");
        ((AutoCloseable) catalog).close();
    }

    @Test
    void anInvalidEventIs400AndNotACloudEventIs415() {
        Exchange invalid = post("{}", Map.of("ce-specversion", "1.0", "ce-id", "x", Exchange.CONTENT_TYPE,
                "application/json"));
        assertThat(invalid.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(400);
        assertThat(invalid.getMessage().getBody(String.class)).contains("source").contains("type");

        Exchange plain = post("hello", Map.of(Exchange.CONTENT_TYPE, "text/plain"));
        assertThat(plain.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(415);
    }
}
