package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The files in k8s/ (outside the Helm chart, whose templates HelmChartTest renders first) parse as Kubernetes objects
 * and carry what Floe needs to run well: probes, resources, non-root, a long enough grace period, the routes from a
 * ConfigMap that matches routes/.
 */
class ManifestsTest {

    static final Path HELM = Repository.K8S.resolve("helm");

    static int camelShutdownSeconds() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files
                .newBufferedReader(Repository.ROOT.resolve("app/src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return Integer.parseInt(properties.getProperty("camel.main.shutdown-timeout"));
    }

    static List<Path> manifestFiles() {
        return Repository.files(Repository.K8S, ".yaml").stream().filter(f -> !f.startsWith(HELM)).toList();
    }

    static Map<Path, List<JsonNode>> manifests() {
        Map<Path, List<JsonNode>> all = new HashMap<>();
        manifestFiles().forEach(f -> all.put(f, Repository.documents(f)));
        return all;
    }

    @Test
    void everyFileIsKubernetesObjects() {
        List<String> errors = new ArrayList<>();
        int objects = 0;
        for (Map.Entry<Path, List<JsonNode>> file : manifests().entrySet()) {
            String where = Repository.relative(file.getKey());
            if (file.getValue().isEmpty()) {
                errors.add(where + ": no object");
            }
            for (JsonNode doc : file.getValue()) {
                objects++;
                if (!doc.path("apiVersion").asText().contains("/") && !doc.path("apiVersion").asText().equals("v1")) {
                    errors.add(where + ": apiVersion missing or malformed");
                }
                if (doc.path("kind").asText().isEmpty()) {
                    errors.add(where + ": no kind");
                }
                if (!doc.path("kind").asText().equals("Kustomization")
                        && doc.path("metadata").path("name").asText().isEmpty()) {
                    errors.add(where + ": no metadata.name");
                }
            }
        }
        assertThat(objects).isGreaterThan(10);
        assertThat(errors).isEmpty();
    }

    @Test
    void workloadsHaveProbesResourcesNonRootAndAGracePeriod() throws Exception {
        int workloads = 0;
        List<String> errors = new ArrayList<>();
        for (Map.Entry<Path, List<JsonNode>> file : manifests().entrySet()) {
            for (JsonNode doc : file.getValue()) {
                if (Workloads.isWorkload(doc)) {
                    workloads++;
                    errors.addAll(Workloads.errors(Repository.relative(file.getKey()), doc, camelShutdownSeconds()));
                }
            }
        }
        assertThat(workloads).as("the Deployment and the Knative Service").isGreaterThanOrEqualTo(2);
        assertThat(errors).isEmpty();
    }

    @Test
    void theChecksCatchABadWorkload() throws Exception {
        JsonNode bad = Repository.YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: bad}
                spec:
                  template:
                    spec:
                      terminationGracePeriodSeconds: 30
                      containers:
                        - name: floe
                          env: [{name: FLOE_ROUTES_DIR, value: /routes}]
                          volumeMounts: [{name: routes, mountPath: /routes, subPath: r.yaml}]
                          livenessProbe: {httpGet: {path: /q/health/live, port: 8080}}
                      volumes: [{name: routes, emptyDir: {}}]
                """);
        assertThat(Workloads.errors("test", bad, 30)).anyMatch(e -> e.contains("terminationGracePeriodSeconds"))
                .anyMatch(e -> e.contains("runAsNonRoot")).anyMatch(e -> e.contains("resources.limits"))
                .anyMatch(e -> e.contains("no readinessProbe")).anyMatch(e -> e.contains("not on the management port"))
                .anyMatch(e -> e.contains("subPath")).anyMatch(e -> e.contains("not a ConfigMap"));
    }

    @Test
    void theRoutesConfigMapHoldsTheRoutesOfTheRepository() throws Exception {
        JsonNode configMap = Repository.documents(Repository.K8S.resolve("base/routes-configmap.yaml")).get(0);
        assertRoutes(configMap.path("data"));
        // the Helm chart ships the same files
        for (Path route : Repository.files(Repository.ROUTES, ".yaml")) {
            assertThat(HELM.resolve("floe/files/routes").resolve(route.getFileName())).hasSameTextualContentAs(route);
        }
    }

    static void assertRoutes(JsonNode data) throws IOException {
        Map<String, String> expected = new HashMap<>();
        for (Path route : Repository.files(Repository.ROUTES, ".yaml")) {
            expected.put(route.getFileName().toString(), Files.readString(route));
        }
        Map<String, String> actual = new HashMap<>();
        data.fields().forEachRemaining(e -> actual.put(e.getKey(), e.getValue().asText()));
        assertThat(actual).as("ConfigMap data = the files of routes/ (run k8s/sync-routes.sh)").isEqualTo(expected);
    }

    @Test
    void kustomizationsReferToFilesThatExist() {
        List<String> errors = new ArrayList<>();
        int kustomizations = 0;
        for (Path file : manifestFiles()) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            kustomizations++;
            JsonNode k = Repository.read(file);
            for (JsonNode resource : k.path("resources")) {
                Path target = file.getParent().resolve(resource.asText()).normalize();
                if (!Files.exists(target)) {
                    errors.add(Repository.relative(file) + ": resource " + resource.asText() + " does not exist");
                }
                // kustomize refuses files outside a kustomization's folder
                if (Files.isRegularFile(target) && !target.startsWith(file.getParent())) {
                    errors.add(Repository.relative(file) + ": file " + resource.asText() + " is outside its folder");
                }
            }
        }
        assertThat(kustomizations).as("base and overlays").isGreaterThanOrEqualTo(4);
        assertThat(errors).isEmpty();
    }

    @Test
    void knativeScalesToZeroAndTheTriggerRetriesThenDeadLetters() {
        JsonNode service = Repository.documents(Repository.K8S.resolve("knative/service.yaml")).get(0);
        assertThat(service.at("/spec/template/metadata/annotations/autoscaling.knative.dev~1min-scale").asText())
                .isEqualTo("0");
        JsonNode trigger = Repository.documents(Repository.K8S.resolve("knative/trigger.yaml")).get(0);
        assertThat(trigger.at("/spec/subscriber/ref/name").asText()).isEqualTo(service.at("/metadata/name").asText());
        JsonNode delivery = trigger.at("/spec/delivery");
        assertThat(delivery.path("retry").asInt()).isPositive();
        assertThat(delivery.path("backoffPolicy").asText()).isIn("exponential", "linear");
        assertThat(delivery.path("deadLetterSink").path("ref").path("name").asText()).isNotEmpty();
    }

    @Test
    void theGrpcOverlayOpensTheRoutesPortAndProbesItsHealthServiceAndTheBaseDoesNot() throws Exception {
        String route = Files.readString(Repository.ROOT.resolve("routes/grpc-to-iceberg.yaml"));
        assertThat(route).contains("{{floe.grpc.port:50051}}");
        int port = 50051;

        List<JsonNode> base = Kustomize.render(Repository.K8S.resolve("base"));
        assertThat(base.stream().filter(o -> !o.path("kind").asText().equals("ConfigMap")).map(JsonNode::toString))
                .noneMatch(o -> o.contains("grpc"));

        List<JsonNode> grpc = Kustomize.render(Repository.K8S.resolve("overlays/grpc"));
        JsonNode deployment = only(grpc, "Deployment");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(Workloads.errors("overlays/grpc", deployment, camelShutdownSeconds())).isEmpty();
        assertThat(container.path("env").toString()).contains("{\"name\":\"FLOE_GRPC_ENABLED\",\"value\":\"true\"}");
        assertThat(container.at("/ports/2/name").asText()).isEqualTo("grpc");
        assertThat(container.at("/ports/2/containerPort").asInt()).isEqualTo(port);
        assertThat(container.at("/readinessProbe/grpc/port").asInt()).isEqualTo(port);
        assertThat(container.at("/readinessProbe/grpc/service").asText()).isEqualTo("floe.v1.CloudEventService");
        assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("management");
        JsonNode servicePort = only(grpc, "Service").at("/spec/ports/2");
        assertThat(servicePort.path("targetPort").asText()).isEqualTo("grpc");
        assertThat(servicePort.path("appProtocol").asText()).isEqualTo("kubernetes.io/h2c");
        assertThat(only(grpc, "NetworkPolicy").at("/spec/ingress/0/ports").findValuesAsText("port"))
                .containsExactly("http", "grpc");
    }

    private static JsonNode only(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void theBaseDeploymentMaintainsByHoldingALease() {
        Path base = Repository.K8S.resolve("base");
        List<JsonNode> objects = new ArrayList<>();
        Repository.files(base, ".yaml").forEach(f -> objects.addAll(Repository.documents(f)));
        JsonNode deployment = objects.stream().filter(o -> MaintenanceLease.is(o, "Deployment")).findFirst()
                .orElseThrow();
        assertThat(MaintenanceLease.errors(deployment, objects, Map.of())).isEmpty();
        JsonNode kustomization = Repository.read(base.resolve("kustomization.yaml"));
        assertThat(kustomization.path("resources").toString()).contains("rbac.yaml");
    }
}
