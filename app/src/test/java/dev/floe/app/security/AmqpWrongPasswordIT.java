package dev.floe.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import dev.floe.app.Tables;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

/**
 * Floe logs in to Artemis with a wrong password: no message is taken or settled, and readiness is DOWN, naming the AMQP
 * route, so an orchestrator and an operator see it without reading logs.
 */
@QuarkusTest
@TestProfile(AmqpWrongPasswordIT.WrongPassword.class)
class AmqpWrongPasswordIT {

    public static class WrongPassword implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ArtemisTlsResource.class, Map.of("password", "not-the-password")));
        }
    }

    @Inject
    Catalog catalog;

    @Test
    void nothingIsSettledAndReadinessIsDown() throws Exception {
        String p = "refused-" + UUID.randomUUID() + "-";
        AmqpTlsIT.send(List.of(AmqpTlsIT.event(p + "1"), AmqpTlsIT.event(p + "2")));

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            HttpResponse<String> ready = SecurityChecks.get("/q/health/ready");
            return ready.statusCode() == 503 && ready.body().contains("amqp-to-iceberg");
        });
        assertThat(ArtemisTlsResource.broker.messageCount(ArtemisTlsResource.QUEUE)).isEqualTo(2);
        assertThat(catalog.tableExists(TableIdentifier.parse(ArtemisTlsResource.TABLE))
                ? Tables.rowsWithIdPrefix(catalog, ArtemisTlsResource.TABLE, p)
                : List.of()).isEmpty();
        assertThat(SecurityChecks.get("/q/health").body()).doesNotContain("not-the-password");
    }
}
