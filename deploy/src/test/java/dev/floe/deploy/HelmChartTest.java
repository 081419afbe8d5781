package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** helm lint and helm template on k8s/helm/floe (Helm embedded by helm-java), and checks of what it renders. */
class HelmChartTest {

    static final Path CHART = Repository.K8S.resolve("helm/floe");

    static Map<String, JsonNode> byKind(String rendered) {
        return Repository.documents(rendered).stream()
                .collect(Collectors.toMap(d -> d.path("kind").asText() + "/" + d.at("/metadata/name").asText(),
                        d -> d));
    }

    @Test
    void lintFindsNoProblem() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    }

    @Test
    void defaultsRenderAWorkloadThatFollowsTheRules() throws Exception {
        Map<String, JsonNode> objects = byKind(new Helm(CHART).template().withName("floe").call());
        assertThat(objects).containsOnlyKeys("ConfigMap/floe-routes", "ConfigMap/floe-config", "Service/floe",
                "Deployment/floe", "NetworkPolicy/floe", "ServiceAccount/floe", "Role/floe-maintenance-lease",
                "RoleBinding/floe-maintenance-lease");
        // events from anywhere, the management port from Prometheus only
        JsonNode ingress = objects.get("NetworkPolicy/floe").at("/spec/ingress");
        assertThat(ingress.get(0).has("from")).isFalse();
        assertThat(ingress.get(0).at("/ports/0/port").asText()).isEqualTo("http");
        assertThat(ingress.get(1).at("/from/0/podSelector/matchLabels").toString()).contains("prometheus");
        assertThat(ingress.get(1).at("/ports/0/port").asText()).isEqualTo("management");
        JsonNode deployment = objects.get("Deployment/floe");
        assertThat(Workloads.errors("helm", deployment, ManifestsTest.camelShutdownSeconds())).isEmpty();
        ManifestsTest.assertRoutes(objects.get("ConfigMap/floe-routes").path("data"));
        // no catalog configured: the embedded one, no Secret referenced
        assertThat(objects.get("ConfigMap/floe-config").path("data").toString()).doesNotContain("FLOE_CATALOG");
        assertThat(deployment.at("/spec/template/spec/containers/0/envFrom").toString()).doesNotContain("secretRef");
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("floe:0.1.0-SNAPSHOT");
    }

    @Test
    void aRestCatalogWithASecretRouteVolumeAndMonitor() {
        String rendered = new Helm(CHART).template().withName("lake")
                .set("catalog.properties.type", "rest")
                .set("catalog.properties.uri", "https://polaris.example.com/api/catalog")
                .set("catalog.secretProperties.credential", "client:s3cr3t")
                .set("openshift.route.enabled", "true")
                .set("persistence.enabled", "true")
                .set("metrics.serviceMonitor.enabled", "true")
                .set("tracing.enabled", "true")
                .call();
        Map<String, JsonNode> objects = byKind(rendered);
        assertThat(objects).containsKeys("Secret/lake-floe-catalog", "Route/lake-floe",
                "PersistentVolumeClaim/lake-floe-data",
                "ServiceMonitor/lake-floe");
        JsonNode config = objects.get("ConfigMap/lake-floe-config").path("data");
        assertThat(config.path("FLOE_CATALOG_PROPERTIES_TYPE").asText()).isEqualTo("rest");
        assertThat(config.path("FLOE_CATALOG_PROPERTIES_URI").asText())
                .isEqualTo("https://polaris.example.com/api/catalog");
        assertThat(config.path("QUARKUS_OTEL_SDK_DISABLED").asText()).isEqualTo("false");
        assertThat(
                objects.get("Secret/lake-floe-catalog").at("/stringData/FLOE_CATALOG_PROPERTIES_CREDENTIAL").asText())
                .isEqualTo("client:s3cr3t");
        // the secret is only in the Secret
        objects.forEach((name, object) -> {
            if (!name.startsWith("Secret/")) {
                assertThat(object.toString()).as(name).doesNotContain("s3cr3t");
            }
        });
        JsonNode pod = objects.get("Deployment/lake-floe").at("/spec/template/spec");
        assertThat(pod.at("/containers/0/envFrom").toString()).contains("lake-floe-catalog");
        assertThat(List.of(pod.at("/volumes").toString())).allMatch(v -> v.contains("lake-floe-data"));
        assertThat(objects.get("Deployment/lake-floe").at("/spec/strategy/type").asText()).isEqualTo("Recreate");
    }

    @Test
    void withAFileLockOneLockOnASharedClaimElectsOneMaintainer() {
        Map<String, JsonNode> defaults = byKind(new Helm(CHART).template().withName("floe").call());
        assertThat(defaults.get("ConfigMap/floe-config").at("/data/FLOE_MAINTENANCE_ENABLED").asText())
                .isEqualTo("true");
        assertThat(defaults.get("Deployment/floe").toString()).doesNotContain("maintenance-lock");

        Map<String, JsonNode> shared = byKind(new Helm(CHART).template().withName("floe").set("replicaCount", "3")
                .set("maintenance.cluster", "file").set("maintenance.lockClaim", "floe-maintenance-lock").call());
        assertThat(shared).doesNotContainKeys("Role/floe-maintenance-lease", "RoleBinding/floe-maintenance-lease");
        JsonNode pod = shared.get("Deployment/floe").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        String lockDir = null;
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals("FLOE_MAINTENANCE_LOCK_DIR")) {
                lockDir = env.path("value").asText();
            }
        }
        assertThat(lockDir).as("FLOE_MAINTENANCE_LOCK_DIR").isNotNull();
        String mountedClaim = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(lockDir)) {
                for (JsonNode volume : pod.path("volumes")) {
                    if (volume.path("name").asText().equals(mount.path("name").asText())) {
                        mountedClaim = volume.at("/persistentVolumeClaim/claimName").asText();
                    }
                }
            }
        }
        assertThat(mountedClaim).as("the lock folder is the shared claim").isEqualTo("floe-maintenance-lock");

        Map<String, JsonNode> off = byKind(
                new Helm(CHART).template().withName("floe").set("maintenance.enabled", "false").call());
        assertThat(off.get("ConfigMap/floe-config").at("/data/FLOE_MAINTENANCE_ENABLED").asText()).isEqualTo("false");
    }

    @Test
    void byDefaultOneReplicaMaintainsByHoldingALease() {
        Map<String, JsonNode> objects = byKind(new Helm(CHART).template().withName("lake").set("replicaCount", "3")
                .set("catalog.properties.type", "rest").call());
        JsonNode config = objects.get("ConfigMap/lake-floe-config");
        assertThat(config.at("/data/FLOE_MAINTENANCE_KUBERNETES_LEASE_NAME").asText()).isEqualTo("lake-floe");
        assertThat(MaintenanceLease.errors(objects.get("Deployment/lake-floe"), List.copyOf(objects.values()),
                settings(config))).isEmpty();
        assertThat(objects.get("RoleBinding/lake-floe-maintenance-lease").at("/subjects/0/namespace").asText())
                .isNotEmpty();
        assertThat(objects.get("Deployment/lake-floe").toString()).doesNotContain("maintenance-lock");

        // an account of one's own: bound, and no other created
        Map<String, JsonNode> own = byKind(new Helm(CHART).template().withName("lake")
                .set("serviceAccount.create", "false").set("serviceAccount.name", "data-writer").call());
        assertThat(own).doesNotContainKey("ServiceAccount/lake-floe");
        assertThat(own.get("Deployment/lake-floe").at("/spec/template/spec/serviceAccountName").asText())
                .isEqualTo("data-writer");
        assertThat(own.get("RoleBinding/lake-floe-maintenance-lease").at("/subjects/0/name").asText())
                .isEqualTo("data-writer");
    }

    @Test
    void theChecksCatchALeaseThatCannotWork() {
        Map<String, JsonNode> objects = byKind(new Helm(CHART).template().withName("floe").call());
        JsonNode config = objects.get("ConfigMap/floe-config");
        List<JsonNode> noBinding = objects.values().stream().filter(o -> !MaintenanceLease.is(o, "RoleBinding"))
                .toList();
        assertThat(MaintenanceLease.errors(objects.get("Deployment/floe"), noBinding, settings(config)))
                .anyMatch(e -> e.contains("leases")).anyMatch(e -> e.contains("pods"));
        Map<String, String> fileLock = new java.util.HashMap<>(settings(config));
        fileLock.put("FLOE_MAINTENANCE_CLUSTER", "file");
        assertThat(MaintenanceLease.errors(objects.get("Deployment/floe"), List.copyOf(objects.values()), fileLock))
                .anyMatch(e -> e.contains("FLOE_MAINTENANCE_CLUSTER"));
    }

    @Test
    void theGrpcPortServicePortAndProbeRenderOnlyWhenGrpcIsEnabled() throws Exception {
        Map<String, JsonNode> off = byKind(new Helm(CHART).template().withName("floe").call());
        JsonNode offContainer = off.get("Deployment/floe").at("/spec/template/spec/containers/0");
        assertThat(off.get("ConfigMap/floe-config").at("/data/FLOE_GRPC_ENABLED").asText()).isEqualTo("false");
        assertThat(off.get("ConfigMap/floe-config").at("/data").has("FLOE_GRPC_PORT")).isFalse();
        assertThat(offContainer.path("ports").findValuesAsText("name")).containsExactly("http", "management");
        assertThat(offContainer.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(offContainer.toString()).doesNotContain("grpc");
        assertThat(off.get("Service/floe").at("/spec/ports").findValuesAsText("name"))
                .containsExactly("http", "management");
        assertThat(off.get("NetworkPolicy/floe").toString()).doesNotContain("grpc");

        Map<String, JsonNode> on = byKind(new Helm(CHART).template().withName("floe").set("grpc.enabled", "true")
                .set("grpc.port", "50071").set("grpc.servicePort", "443").call());
        JsonNode deployment = on.get("Deployment/floe");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        JsonNode config = on.get("ConfigMap/floe-config").path("data");
        assertThat(config.path("FLOE_GRPC_ENABLED").asText()).isEqualTo("true");
        assertThat(config.path("FLOE_GRPC_PORT").asText()).isEqualTo("50071");
        assertThat(container.at("/ports/2/name").asText()).isEqualTo("grpc");
        assertThat(container.at("/ports/2/containerPort").asInt()).isEqualTo(50071);
        // Kubernetes' grpc probe of the health service, on the port the route listens on
        assertThat(container.at("/readinessProbe/grpc/port").asInt()).isEqualTo(50071);
        assertThat(container.at("/readinessProbe/grpc/service").asText()).isEqualTo("floe.v1.CloudEventService");
        assertThat(container.at("/readinessProbe").has("httpGet")).isFalse();
        // a catalog outage (NOT_SERVING) must not restart the pods
        assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("management");
        assertThat(Workloads.errors("helm grpc", deployment, ManifestsTest.camelShutdownSeconds())).isEmpty();
        JsonNode servicePort = on.get("Service/floe").at("/spec/ports/2");
        assertThat(servicePort.path("name").asText()).isEqualTo("grpc");
        assertThat(servicePort.path("port").asInt()).isEqualTo(443);
        assertThat(servicePort.path("targetPort").asText()).isEqualTo("grpc");
        assertThat(servicePort.path("appProtocol").asText()).isEqualTo("kubernetes.io/h2c");
        JsonNode open = on.get("NetworkPolicy/floe").at("/spec/ingress/0");
        assertThat(open.has("from")).isFalse();
        assertThat(open.path("ports").findValuesAsText("port")).containsExactly("http", "grpc");

        // the management port's readiness kept on request
        JsonNode kept = byKind(new Helm(CHART).template().withName("floe").set("grpc.enabled", "true")
                .set("grpc.readinessProbe", "false").call()).get("Deployment/floe")
                .at("/spec/template/spec/containers/0/readinessProbe");
        assertThat(kept.at("/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(kept.has("grpc")).isFalse();

        // over TLS: Kubernetes' grpc probe cannot speak it, and the port is not h2c
        Map<String, JsonNode> tls = byKind(new Helm(CHART).template().withName("floe").set("grpc.enabled", "true")
                .set("grpc.tls", "true").call());
        JsonNode tlsProbe = tls.get("Deployment/floe").at("/spec/template/spec/containers/0/readinessProbe");
        assertThat(tlsProbe.at("/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(tlsProbe.has("grpc")).isFalse();
        JsonNode tlsPort = tls.get("Service/floe").at("/spec/ports/2");
        assertThat(tlsPort.path("name").asText()).isEqualTo("grpc");
        assertThat(tlsPort.has("appProtocol")).isFalse();
    }

    @Test
    void theChecksCatchAGrpcProbeThatCannotWork() throws Exception {
        JsonNode deployment = byKind(new Helm(CHART).template().withName("floe").set("grpc.enabled", "true").call())
                .get("Deployment/floe");
        ObjectNode container = (ObjectNode) deployment
                .at("/spec/template/spec/containers/0");
        ((ObjectNode) container.at("/readinessProbe/grpc")).put("service", "")
                .put("port", 8080);
        container.set("livenessProbe", container.path("readinessProbe").deepCopy());
        assertThat(Workloads.errors("test", deployment, ManifestsTest.camelShutdownSeconds()))
                .anyMatch(e -> e.contains("does not ask for floe.v1.CloudEventService"))
                .anyMatch(e -> e.contains("not on the container's grpc port"))
                .anyMatch(e -> e.contains("livenessProbe is not on the management port"));
    }

    @Test
    void anUnknownClusterStopsTheRendering() {
        assertThatThrownBy(() -> new Helm(CHART).template().withName("floe").set("maintenance.cluster", "zookeeper")
                .call()).hasMessageContaining("maintenance.cluster must be kubernetes or file");
    }

    static Map<String, String> settings(JsonNode configMap) {
        Map<String, String> settings = new java.util.HashMap<>();
        configMap.path("data").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        return settings;
    }
}
