package dev.floe.app.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * The application with floe.maintenance.cluster=kubernetes: it takes the maintenance Lease in the (emulated) API
 * server and, as its holder, maintains.
 */
@QuarkusTest
@TestProfile(MaintenanceLeaseIT.OnKubernetes.class)
@QuarkusTestResource(value = KubernetesApiResource.class, restrictToAnnotatedClass = true)
class MaintenanceLeaseIT {

    public static class OnKubernetes implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "floe.data-dir", "target/maintenance-lease-" + System.nanoTime(),
                    "floe.maintenance.enabled", "true",
                    "floe.maintenance.stats.interval-ms", "300");
        }
    }

    @Test
    void theReplicaTakesTheLeaseAndMaintains() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = MaintenanceSwitchesIT.metrics();
            assertThat(MaintenanceSwitchesIT.value(metrics, "floe_maintenance_leader", "")).isEqualTo(1);
            assertThat(MaintenanceSwitchesIT.runs(metrics, "default.events", "stats")).isPositive();
        });
        Lease lease = KubernetesApiResource.client.leases().inNamespace(KubernetesApiResource.NAMESPACE)
                .withName("floe-floe-maintenance").get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(KubernetesApiResource.POD);
    }
}
