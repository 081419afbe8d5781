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
 * Floe holds a wrong password for Kafka's SASL_SSL listener: it reads nothing, commits no progress, and says so on the
 * management port (readiness DOWN, naming the Kafka route), not only in its log.
 */
@QuarkusTest
@TestProfile(KafkaWrongCredentialsIT.WrongPassword.class)
class KafkaWrongCredentialsIT {

    public static class WrongPassword implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaSaslSslResource.class, Map.of("password", "not-the-password")));
        }
    }

    @Inject
    Catalog catalog;

    @Test
    void nothingIsReadOrAcknowledgedAndReadinessIsDown() throws Exception {
        String p = "denied-" + UUID.randomUUID() + "-";
        KafkaSaslSslResource.broker
                .sendAll(List.of(KafkaSaslSslIT.event(0, p + "1"), KafkaSaslSslIT.event(1, p + "2")));

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            HttpResponse<String> ready = SecurityChecks.get("/q/health/ready");
            // Camel's Kafka consumer check, with the route id among its data
            return ready.statusCode() == 503 && ready.body().contains("kafka-to-iceberg");
        });
        // what readiness says is that the records were not taken: no rows, no group progress
        assertThat(catalog.tableExists(TableIdentifier.parse(KafkaSaslSslResource.TABLE))
                ? Tables.rowsWithIdPrefix(catalog, KafkaSaslSslResource.TABLE, p)
                : List.of()).isEmpty();
        assertThat(KafkaSaslSslResource.broker.committed(KafkaSaslSslResource.GROUP)).isEmpty();
        // the password itself is never shown
        assertThat(SecurityChecks.get("/q/health").body()).doesNotContain("not-the-password");
    }

}
