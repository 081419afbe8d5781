package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/**
 * Every object k8s/ ships, as written, as kustomize renders the overlays and as Helm renders the chart, is one a
 * cluster accepts: read strictly into fabric8's models of the Kubernetes, Knative and OpenShift APIs (KubernetesModels)
 * or checked against the schema of its custom resource (CustomResourceSchemas), and a Knative Service within what
 * Knative's field mask lets through (KnativeFieldMask).
 */
class StrictManifestsTest {

    static List<String> errors(String where, JsonNode object) {
        if (KubernetesModels.hasModel(object)) {
            List<String> errors = new ArrayList<>(KubernetesModels.errors(where, object));
            if (KubernetesModels.key(object).equals("serving.knative.dev/v1/Service")) {
                errors.addAll(KnativeFieldMask.errors(where, object, KnativeFieldMask.DEFAULT_FLAGS));
            }
            return errors;
        }
        if (CustomResourceSchemas.has(object)) {
            return CustomResourceSchemas.errors(where, object);
        }
        return List.of(where + " " + KubernetesModels.key(object) + ": neither a model nor a schema checks this kind");
    }

    static List<String> errors(String where, List<JsonNode> objects, Set<String> kinds) {
        List<String> errors = new ArrayList<>();
        for (JsonNode object : objects) {
            kinds.add(KubernetesModels.key(object));
            errors.addAll(errors(where, object));
        }
        return errors;
    }

    /** The errors of one object given as YAML, for the negative cases. */
    static List<String> errors(String yaml) throws Exception {
        return errors("test", Repository.YAML.readTree(yaml));
    }

    /** The errors of an object of this kind named floe, its other fields given as YAML. */
    static List<String> errorsOfFloe(String apiVersion, String kind, String fields) throws Exception {
        return errors("apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: floe}\n" + fields);
    }

    @Test
    void everyFileIsReadStrictly() {
        Set<String> kinds = new HashSet<>();
        List<String> errors = new ArrayList<>();
        int objects = 0;
        for (Path file : ManifestsTest.manifestFiles()) {
            List<JsonNode> documents = Repository.documents(file);
            objects += documents.size();
            errors.addAll(errors(Repository.relative(file), documents, kinds));
        }
        assertThat(errors).isEmpty();
        assertThat(objects).isGreaterThan(15);
        assertThat(kinds).contains("apps/v1/Deployment", "v1/ConfigMap", "networking.k8s.io/v1/NetworkPolicy",
                "rbac.authorization.k8s.io/v1/Role", "batch/v1/CronJob", "policy/v1/PodDisruptionBudget",
                "route.openshift.io/v1/Route", "serving.knative.dev/v1/Service", "eventing.knative.dev/v1/Trigger",
                "camel.apache.org/v1/Integration", "camel.apache.org/v1/Pipe", "keda.sh/v1alpha1/ScaledObject",
                "kustomize.config.k8s.io/v1beta1/Kustomization");
    }

    @Test
    void theBaseAndEveryOverlayRenderToObjectsReadStrictly() throws Exception {
        List<Path> kustomizations;
        try (Stream<Path> overlays = Files.list(Repository.K8S.resolve("overlays"))) {
            kustomizations = Stream.concat(Stream.of(Repository.K8S.resolve("base")), overlays.sorted()).toList();
        }
        assertThat(kustomizations).hasSize(5);
        for (Path dir : kustomizations) {
            List<JsonNode> objects = Kustomize.render(dir);
            assertThat(errors(Repository.relative(dir), objects, new HashSet<>())).isEmpty();
            assertThat(objects).anyMatch(o -> o.path("kind").asText().equals("Deployment"));
        }
        // the patches did apply: production runs two replicas with more memory
        JsonNode production = Kustomize.render(Repository.K8S.resolve("overlays/production")).stream()
                .filter(o -> o.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        Deployment deployment = KubernetesModels.STRICT.treeToValue(production, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo("floe");
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits()
                .get("memory")).hasToString("2Gi");
    }

    @Test
    void theHelmChartRendersObjectsReadStrictly() {
        List<String> errors = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        errors.addAll(errors("helm defaults",
                Repository.documents(new Helm(HelmChartTest.CHART).template().withName("floe").call()), kinds));
        // every optional template on
        String everything = new Helm(HelmChartTest.CHART).template().withName("lake")
                .set("catalog.properties.type", "rest")
                .set("catalog.properties.uri", "https://polaris.example.com/api/catalog")
                .set("catalog.secretProperties.credential", "client:s3cr3t")
                .set("openshift.route.enabled", "true").set("openshift.route.host", "floe.example.com")
                .set("persistence.enabled", "true").set("persistence.storageClass", "fast")
                .set("metrics.serviceMonitor.enabled", "true")
                .set("tracing.enabled", "true")
                .set("imagePullSecrets[0].name", "registry")
                .set("env[0].name", "JAVA_OPTS_APPEND").set("env[0].value", "-Xss1m")
                .call();
        errors.addAll(errors("helm all options", Repository.documents(everything), kinds));
        String fileLock = new Helm(HelmChartTest.CHART).template().withName("floe").set("replicaCount", "3")
                .set("maintenance.cluster", "file").set("maintenance.lockClaim", "floe-maintenance-lock").call();
        errors.addAll(errors("helm file lock", Repository.documents(fileLock), kinds));
        String grpc = new Helm(HelmChartTest.CHART).template().withName("floe").set("grpc.enabled", "true").call();
        errors.addAll(errors("helm grpc", Repository.documents(grpc), kinds));
        assertThat(errors).isEmpty();
        assertThat(kinds).contains("apps/v1/Deployment", "v1/Secret", "v1/PersistentVolumeClaim",
                "route.openshift.io/v1/Route", "monitoring.coreos.com/v1/ServiceMonitor",
                "rbac.authorization.k8s.io/v1/RoleBinding");
    }

    /** The negative proof: a misspelt field fails in every kind of check, where fabric8 alone would keep it. */
    @Test
    void aMisspeltFieldFails() throws Exception {
        JsonNode deployment = Repository.YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: floe}
                spec:
                  selector: {matchLabels: {app: floe}}
                  template:
                    metadata: {labels: {app: floe}}
                    spec:
                      containers:
                        - name: floe
                          image: floe
                          readinesProbe: {httpGet: {path: /q/health/ready, port: 9000}}
                """);
        // fabric8's own reading keeps the unknown field and says nothing
        Deployment lenient = new ObjectMapper().treeToValue(deployment, Deployment.class);
        assertThat(lenient.getSpec().getTemplate().getSpec().getContainers().get(0).getAdditionalProperties())
                .containsKey("readinesProbe");
        assertThat(errors("test", deployment)).singleElement().asString()
                .contains("readinesProbe").contains("containers");

        assertThat(errorsOfFloe("apps/v1", "Deployment", """
                spec: {replicas: "two"}
                """)).singleElement().asString().contains("replicas");
        assertThat(errorsOfFloe("serving.knative.dev/v1", "Service", """
                spec:
                  template:
                    spec:
                      containerConcurency: 10
                      containers: [{image: floe}]
                """)).anyMatch(e -> e.contains("containerConcurency"));
        assertThat(errorsOfFloe("eventing.knative.dev/v1", "Trigger", """
                spec:
                  broker: default
                  subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: floe}}
                  delivery: {retries: 3}
                """)).singleElement().asString().contains("retries");
        assertThat(errorsOfFloe("camel.apache.org/v1", "Integration", """
                spec:
                  traits:
                    mount: {config: ["secret:floe-catalog"]}
                """)).singleElement().asString().contains("config");
        assertThat(errorsOfFloe("camel.apache.org/v1", "Pipe", """
                spec:
                  source: {ref: {apiVersion: eventing.knative.dev/v1, kind: Broker, name: default}}
                  sink: {ref: {apiVersion: camel.apache.org/v1, kind: Kamelet, name: iceberg-sink}, propertes: {}}
                """)).singleElement().asString().contains("propertes");
        assertThat(errors("""
                apiVersion: camel.apache.org/v1
                kind: Pipe
                metadata:
                  name: floe
                  annotations:
                    trait.camel.apache.org/mount.config: "secret:floe-catalog"
                    trait.camel.apache.org/health.liveness-probe-enabled: "true"
                spec:
                  source: {ref: {apiVersion: eventing.knative.dev/v1, kind: Broker, name: default}}
                  sink: {ref: {apiVersion: camel.apache.org/v1, kind: Kamelet, name: iceberg-sink}}
                """)).singleElement().asString().contains("trait mount has no property config");
        assertThat(errorsOfFloe("keda.sh/v1alpha1", "ScaledObject", """
                spec:
                  scaleTargetRef: {name: floe}
                  minReplicas: 0
                  triggers: [{type: kafka, metadata: {lagThreshold: 10000, consumergroup: floe}}]
                """)).anyMatch(e -> e.contains("minReplicas")).anyMatch(e -> e.contains("lagThreshold"))
                .anyMatch(e -> e.contains("consumergroup"));
        assertThat(errors("""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resource: [../../base]
                """)).singleElement().asString().contains("resource");
        assertThat(errorsOfFloe("keda.sh/v1alpha2", "ScaledObject", "")).singleElement().asString()
                .contains("neither a model nor a schema");
    }

    @Test
    void knativeRefusesWhatItsFieldMaskDrops() throws Exception {
        JsonNode service = Repository.YAML.readTree("""
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata: {name: floe}
                spec:
                  template:
                    spec:
                      terminationGracePeriodSeconds: 45
                      securityContext: {runAsNonRoot: true}
                      initContainers: [{name: init, image: busybox}]
                      containers:
                        - image: floe
                          lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}
                          ports: [{containerPort: 8080, hostPort: 80}]
                          env: [{name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                          securityContext: {privileged: true, capabilities: {add: [NET_ADMIN]}}
                      volumes:
                        - {name: data, persistentVolumeClaim: {claimName: floe-data}}
                        - {name: tmp, emptyDir: {}}
                """);
        // the Kubernetes types have every one of these fields: only the field mask refuses them
        assertThat(KubernetesModels.errors("test", service)).isEmpty();
        List<String> errors = KnativeFieldMask.errors("test", service, KnativeFieldMask.DEFAULT_FLAGS);
        assertThat(errors).anyMatch(e -> e.contains("terminationGracePeriodSeconds: Knative refuses"))
                .anyMatch(e -> e.contains("securityContext: Knative refuses this field unless config-features turns "
                        + "on kubernetes.podspec-securitycontext"))
                .anyMatch(e -> e.contains("initContainers")).anyMatch(e -> e.contains("lifecycle"))
                .anyMatch(e -> e.contains("hostPort")).anyMatch(e -> e.contains("kubernetes.podspec-fieldref"))
                .anyMatch(e -> e.contains("privileged")).anyMatch(e -> e.contains("capabilities.add"))
                .anyMatch(e -> e.contains("kubernetes.podspec-persistent-volume-claim"))
                .noneMatch(e -> e.contains("emptyDir"))
                .hasSize(9);

        Set<String> flags = new HashSet<>(KnativeFieldMask.DEFAULT_FLAGS);
        flags.add("kubernetes.podspec-securitycontext");
        assertThat(KnativeFieldMask.errors("test", service, flags)).noneMatch(e -> e.contains(".securityContext:"));
    }

    @Test
    void theKnativeServiceStopsWithinItsTimeout() throws Exception {
        JsonNode service = Repository.documents(Repository.K8S.resolve("knative/service.yaml")).get(0);
        JsonNode revision = service.at("/spec/template/spec");
        assertThat(revision.has("terminationGracePeriodSeconds")).isFalse();
        assertThat(KnativeFieldMask.gracePeriodSeconds(revision)).isGreaterThan(ManifestsTest.camelShutdownSeconds());
        JsonNode security = revision.at("/containers/0/securityContext");
        assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(security.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    }

    @Test
    void camelKReadsTheCatalogCredentialFromTheMountedSecret() {
        List<Path> files = Repository.files(Repository.K8S.resolve("camel-k"), ".yaml");
        assertThat(files).hasSize(4);
        for (Path file : files) {
            JsonNode object = Repository.documents(file).get(0);
            String where = Repository.relative(file);
            // {{secret:…}} needs camel-kubernetes, which Camel K does not add for a placeholder
            assertThat(object.toString()).as(where).doesNotContain("{{secret:").contains("floe.catalog.credential}}");
            String mounted = object.path("kind").asText().equals("Integration")
                    ? object.at("/spec/traits/mount/configs").toString()
                    : object.at("/metadata/annotations").path("trait.camel.apache.org/mount.configs").asText();
            assertThat(mounted).as(where).contains("secret:floe-catalog");
        }
        JsonNode integration = Repository.documents(Repository.K8S.resolve("camel-k/integration.yaml")).get(0);
        // Camel K 2.x reads Maven repositories from the Integration (or the operator), not IntegrationPlatform
        // spec.build.maven.repositories
        assertThat(integration.at("/spec/repositories/0").asText()).startsWith("https://").contains("@id=");
    }

    /** Floe's own route under Camel K: the route from the routes ConfigMap, its beans from floe-routes-beans. */
    @Test
    void camelKRunsFloesRouteFromTheRoutesConfigMapWithTheRouteBeans() throws Exception {
        JsonNode integration = Repository.documents(Repository.K8S.resolve("camel-k/integration-routes.yaml")).get(0);
        JsonNode configMap = Repository.documents(Repository.K8S.resolve("base/routes-configmap.yaml")).get(0);
        JsonNode sources = integration.at("/spec/sources");
        assertThat(sources).isNotEmpty();
        for (JsonNode source : sources) {
            assertThat(source.path("contentRef").asText()).isEqualTo(configMap.at("/metadata/name").asText());
            String key = source.path("contentKey").asText();
            // the key is there, and is the route of routes/ (sync-routes.sh)
            assertThat(configMap.at("/data").path(key).asText())
                    .isEqualTo(Files.readString(Repository.ROUTES.resolve(key)));
            assertThat(source.path("name").asText()).isEqualTo(key);
        }
        assertThat(integration.at("/spec/dependencies").toString())
                .contains("mvn:dev.floe:floe-routes-beans:" + Repository.VERSION);
        assertThat(integration.at("/spec/repositories/0").asText()).startsWith("https://").contains("@id=");
    }
}
