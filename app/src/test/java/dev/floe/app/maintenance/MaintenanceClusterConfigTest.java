package dev.floe.app.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.floe.app.FloeConfig;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.junit.jupiter.api.Test;

/** floe.maintenance.cluster picks the cluster service; a value it does not know stops the start. */
class MaintenanceClusterConfigTest {

    static FloeConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(FloeConfig.class)
                .withDefaultValues(properties).build();
        return config.getConfigMapping(FloeConfig.class);
    }

    @Test
    void fileLockByDefault() throws Exception {
        assertThat(MaintenanceClusterServices.create(config(Map.of("floe.data-dir", "target/cluster-config-test"))))
                .isInstanceOf(FileLockClusterService.class);
    }

    @Test
    void kubernetesIsALease() throws Exception {
        var service = MaintenanceClusterServices.create(config(Map.of(
                "floe.maintenance.cluster", "kubernetes",
                "floe.maintenance.kubernetes.lease-name", "orders",
                "floe.maintenance.kubernetes.namespace", "data",
                "floe.maintenance.kubernetes.pod-labels",
                "app.kubernetes.io/name=floe, app.kubernetes.io/instance=orders")));
        assertThat(service).isInstanceOfSatisfying(KubernetesClusterService.class, lease -> {
            assertThat(lease.getLeaseResourceType()).isEqualTo(LeaseResourceType.Lease);
            assertThat(lease.getKubernetesResourceName()).isEqualTo("orders");
            assertThat(lease.getKubernetesNamespace()).isEqualTo("data");
            assertThat(lease.getClusterLabels()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("app.kubernetes.io/name", "floe", "app.kubernetes.io/instance", "orders"));
            assertThat(lease.getLeaseDurationMillis()).isEqualTo(15000);
        });
    }

    @Test
    void anUnknownClusterFailsNamingTheChoices() {
        assertThatThrownBy(() -> config(Map.of("floe.maintenance.cluster", "zookeeper")))
                .hasMessageContaining("floe.maintenance.cluster")
                .hasMessageContaining("zookeeper")
                .hasMessageContaining("kubernetes");
    }

    @Test
    void podLabelsThatAreNotASelectorFail() {
        assertThatThrownBy(() -> MaintenanceClusterServices.labels("app.kubernetes.io/name"))
                .hasMessageContaining("floe.maintenance.kubernetes.pod-labels");
    }
}
