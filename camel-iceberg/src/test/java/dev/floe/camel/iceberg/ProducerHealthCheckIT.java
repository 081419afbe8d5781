package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.floe.testing.FaultProxy;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.rest.InProcessRestCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The producer health check, through Camel's health-check API as camel-main and Camel K run it: UP while the catalog
 * answers; DOWN, with a message, when a JDBC catalog answers and a REST catalog (Iceberg's REST server, behind a TCP
 * fault proxy) resets every connection, answers nothing, or has nothing listening on its port.
 */
class ProducerHealthCheckIT extends CamelTestSupport {

    private static Path dir;
    private static InProcessRestCatalog server;
    private static FaultProxy proxy;
    private static int closedPort;

    @BeforeAll
    static void startCatalog() throws Exception {
        dir = Files.createTempDirectory("floe-health");
        int serverPort = freePort();
        Map<String, String> config = new HashMap<>();
        config.put("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        config.put("uri", "jdbc:sqlite:" + dir.resolve("rest.db"));
        config.put("jdbc.schema-version", "V1");
        config.put("warehouse", dir.resolve("warehouse").toString());
        config.put("rest.port", String.valueOf(serverPort));
        server = new InProcessRestCatalog(config);
        server.start();
        proxy = FaultProxy.start(serverPort);
        closedPort = freePort();
    }

    @AfterAll
    static void stopCatalog() throws Exception {
        proxy.close();
        server.stop();
    }

    @BeforeEach
    void healProxy() {
        proxy.heal();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        // what camel.health.producersEnabled=true does in camel-main (and so in Camel K and Camel Quarkus)
        HealthCheckHelper.getHealthCheckRepository(camel, "producers").setEnabled(true);
        // every check in the results, not only the DOWN ones
        HealthCheckHelper.getHealthCheckRegistry(camel).setExposureLevel("full");
        return camel;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {

            @Override
            public void configure() {
                from("direct:jdbc").routeId("jdbc").to("iceberg:it.health?catalogName=jdbc&catalog.type=jdbc"
                        + "&catalog.uri=jdbc:sqlite:" + dir.resolve("catalog.db") + "&catalog.warehouse="
                        + dir.resolve("warehouse").toUri());
                from("direct:rest").routeId("rest").to("iceberg:it.health?catalogName=rest&catalog.type=rest"
                        + "&catalog.uri=http://127.0.0.1:" + proxy.port() + "&healthCheckTimeout=1500"
                // a black-holed request gives up after this, so that stopping Camel does not wait for it
                        + "&catalog.rest.client.socket-timeout-ms=3000");
                from("direct:closed").routeId("closed").to("iceberg:it.health?catalogName=closed&catalog.type=rest"
                        + "&catalog.uri=http://127.0.0.1:" + closedPort);
            }
        };
    }

    private HealthCheck.Result check(String catalogName) {
        String id = "producer:iceberg-" + catalogName + "-it.health";
        Optional<HealthCheck.Result> result = HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().equals(id)).findFirst();
        assertThat(result).as("health check %s", id).isPresent();
        return result.get();
    }

    @Test
    void aJdbcCatalogThatAnswersIsUp() {
        HealthCheck.Result result = check("jdbc");
        assertThat(result.getState()).as(result.getMessage().orElse("")).isEqualTo(HealthCheck.State.UP);
        assertThat(result.getDetails()).containsEntry("table", "it.health");
        assertThat(result.getCheck().isReadiness()).isTrue();
    }

    @Test
    void aRestCatalogIsDownWhileTheProxyResetsEveryConnectionAndUpAgainAfter() {
        assertThat(check("rest").getState()).isEqualTo(HealthCheck.State.UP);

        proxy.mode(FaultProxy.Mode.RESET);
        await().atMost(Duration.ofSeconds(20)).until(() -> check("rest").getState() == HealthCheck.State.DOWN);
        assertThat(check("rest").getMessage()).hasValueSatisfying(m -> assertThat(m).contains("Iceberg catalog"));

        proxy.heal();
        await().atMost(Duration.ofSeconds(30)).until(() -> check("rest").getState() == HealthCheck.State.UP);
    }

    @Test
    void aRestCatalogThatAnswersNothingIsDownAfterTheTimeoutAndDoesNotHoldStopping() {
        proxy.mode(FaultProxy.Mode.BLACK_HOLE);
        long started = System.nanoTime();
        HealthCheck.Result result = check("rest");
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValue("The Iceberg catalog did not answer within 1500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

        // the probe is still building the catalog, its request black-holed: stopping does not wait for it
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> context.stop());
    }

    @Test
    void aRestCatalogWithNothingListeningIsDown() {
        HealthCheck.Result result = check("closed");
        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("The Iceberg catalog failed"));
        assertThat(result.getError()).isPresent();
        assertThat(result.getDetails()).containsEntry("catalog.uri", "http://127.0.0.1:" + closedPort);
    }

    @Test
    void aProducerCheckTheComponentDisablesNeverCallsTheCatalog() throws Exception {
        context.getComponent("iceberg", IcebergComponent.class).setHealthCheckProducerEnabled(false);
        context.getRouteController().stopRoute("closed");
        context.getRouteController().startRoute("closed");
        assertThat(check("closed").getState()).isEqualTo(HealthCheck.State.UNKNOWN);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
