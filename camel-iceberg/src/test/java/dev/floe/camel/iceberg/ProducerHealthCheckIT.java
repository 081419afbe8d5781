package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.floe.testing.FaultProxy;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
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
    private static ProxiedRestCatalog rest;
    private static FaultProxy proxy;
    private static int closedPort;

    @BeforeAll
    static void startCatalog() throws Exception {
        dir = Files.createTempDirectory("floe-health");
        rest = ProxiedRestCatalog.start("floe-health-rest");
        proxy = rest.proxy();
        closedPort = ProxiedRestCatalog.freePort();
    }

    @AfterAll
    static void stopCatalog() throws Exception {
        rest.close();
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
                String jdbc = "iceberg:it.health?catalogName=jdbc&catalog.type=jdbc&catalog.uri=jdbc:sqlite:"
                        + dir.resolve("catalog.db") + "&catalog.warehouse=" + dir.resolve("warehouse").toUri();
                from("direct:jdbc").routeId("jdbc").to(jdbc);
                // a second route writing the same table through the same endpoint: a producer, and a check, of its own
                from("direct:jdbc-twin").routeId("jdbc-twin").to(jdbc);
                from("direct:rest").routeId("rest").to("iceberg:it.health?catalogName=rest&catalog.type=rest"
                        + "&catalog.uri=" + rest.proxiedUri() + "&healthCheckTimeout=1500"
                // a black-holed request waits this long: far longer than stopping may take
                        + "&catalog.rest.client.socket-timeout-ms=120000");
                from("direct:closed").routeId("closed").to("iceberg:it.health?catalogName=closed&catalog.type=rest"
                        + "&catalog.uri=http://127.0.0.1:" + closedPort);
            }
        };
    }

    private List<HealthCheck.Result> checks(String catalogName) {
        String id = "producer:iceberg-" + catalogName + "-it.health-";
        return HealthCheckHelper.invoke(context).stream().filter(r -> r.getCheck().getId().startsWith(id)).toList();
    }

    private HealthCheck.Result check(String catalogName) {
        List<HealthCheck.Result> results = checks(catalogName);
        assertThat(results).as("health checks of catalog %s", catalogName).hasSize(1);
        return results.get(0);
    }

    @Test
    void aJdbcCatalogThatAnswersIsUpForEachProducerOfTheTable() {
        List<HealthCheck.Result> results = checks("jdbc");
        assertThat(results).hasSize(2).allSatisfy(result -> {
            assertThat(result.getState()).as(result.getMessage().orElse("")).isEqualTo(HealthCheck.State.UP);
            assertThat(result.getDetails()).containsEntry("table", "it.health");
            assertThat(result.getCheck().isReadiness()).isTrue();
        });
    }

    @Test
    void stoppingOneOfTwoRoutesWritingATableLeavesTheOtherChecked() throws Exception {
        context.getRouteController().stopRoute("jdbc-twin");
        assertThat(check("jdbc").getState()).isEqualTo(HealthCheck.State.UP);

        context.getRouteController().startRoute("jdbc-twin");
        context.getRouteController().stopRoute("jdbc");
        assertThat(check("jdbc").getState()).isEqualTo(HealthCheck.State.UP);

        context.getRouteController().startRoute("jdbc");
        assertThat(checks("jdbc")).hasSize(2).allSatisfy(r -> assertThat(r.getState()).isEqualTo(HealthCheck.State.UP));
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

        // the probe is still building the catalog, its request black-holed for two minutes: stopping does not wait
        long stopping = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> context.stop());
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
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

}
