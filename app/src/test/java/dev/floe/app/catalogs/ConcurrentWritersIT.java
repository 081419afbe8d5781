package dev.floe.app.catalogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.floe.camel.iceberg.IcebergComponent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.InProcessRestCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writers (each its own Camel context and catalog client, as two Floe replicas would be) append to one table at
 * the same time; Iceberg's optimistic concurrency makes one of them retry, and every row lands exactly once.
 */
class ConcurrentWritersIT {

    private static final int BATCHES = 12;
    private static final int EVENTS_PER_BATCH = 50;

    @TempDir
    java.nio.file.Path dir;

    @Test
    void twoWritersOnTheRestCatalog() throws Exception {
        S3Server s3 = new S3Server();
        Map<String, String> server = new HashMap<>(s3.fileIo());
        server.put("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        server.put("uri", "jdbc:sqlite:" + dir.resolve("rest.db"));
        server.put("jdbc.schema-version", "V1");
        server.put("warehouse", "s3://" + S3Server.BUCKET + "/concurrent");
        server.put("rest.port", String.valueOf(Ports.free()));
        java.util.ServiceLoader.load(java.sql.Driver.class).forEach(d -> {
        });
        InProcessRestCatalog rest = new InProcessRestCatalog(server);
        rest.start();
        try {
            Map<String, String> client = new HashMap<>(s3.fileIo());
            client.put("type", "rest");
            client.put("uri", "http://127.0.0.1:" + server.get("rest.port"));
            assertExactlyOnce(client);
        } finally {
            rest.stop();
            s3.stop();
        }
    }

    @Test
    void twoWritersOnTheJdbcCatalogOnPostgres() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Map<String, String> client = new HashMap<>();
            client.put("type", "jdbc");
            client.put("uri", postgres.getJdbcUrl("postgres", "postgres"));
            client.put("jdbc.user", "postgres");
            client.put("jdbc.password", "postgres");
            client.put("warehouse", dir.resolve("warehouse").toString());
            assertExactlyOnce(client);
        }
    }

    private void assertExactlyOnce(Map<String, String> catalogProperties) throws Exception {
        List<CamelContext> replicas = List.of(replica(catalogProperties), replica(catalogProperties));
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            for (int r = 0; r < replicas.size(); r++) {
                List<CloudEvent> batch = new ArrayList<>();
                for (int e = 0; e < EVENTS_PER_BATCH; e++) {
                    batch.add(CloudEventBuilder.v1().withId("r" + r + "-b" + b + "-e" + e)
                            .withSource(URI.create("/replica/" + r)).withType("t").build());
                }
                ProducerTemplate template = replicas.get(r).createProducerTemplate();
                // maxGroupRows=1: one commit per batch, so the replicas really race commit against commit
                sent.add(template.asyncSend("iceberg:default.concurrent?maxGroupRows=1",
                        ex -> ex.getIn().setBody(batch)));
            }
        }
        for (CompletableFuture<Exchange> f : sent) {
            assertThat(f.get().getException()).isNull();
        }
        replicas.forEach(CamelContext::stop);

        Catalog reader = CatalogUtil.buildIcebergCatalog("floe", catalogProperties, new Configuration());
        Map<String, Long> counts = CatalogScenarios.idCounts(reader, "r", TableIdentifier.parse("default.concurrent"));
        assertThat(counts).hasSize(2 * BATCHES * EVENTS_PER_BATCH);
        assertThat(counts.values()).allMatch(n -> n == 1L);
        List<Object> snapshots = new ArrayList<>();
        reader.loadTable(TableIdentifier.parse("default.concurrent")).snapshots().forEach(snapshots::add);
        assertThat(snapshots).hasSize(2 * BATCHES);
    }

    private static CamelContext replica(Map<String, String> catalogProperties) {
        CamelContext context = new DefaultCamelContext();
        IcebergComponent iceberg = new IcebergComponent();
        // each replica has its own catalog client
        iceberg.getConfiguration()
                .setCatalog(CatalogUtil.buildIcebergCatalog("floe", catalogProperties, new Configuration()));
        context.addComponent("iceberg", iceberg);
        context.start();
        return context;
    }
}
