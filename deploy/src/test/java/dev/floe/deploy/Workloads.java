package dev.floe.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What every workload that runs Floe must have, whatever produced it (k8s/ files, kustomize, Helm): probes, resource
 * requests and limits, a non-root user, a grace period longer than Camel's shutdown timeout (for a Knative Service: its
 * timeoutSeconds, which Knative makes the pod's grace period), and the routes mounted
 * from a ConfigMap as a whole folder (a subPath mount never sees ConfigMap updates).
 */
final class Workloads {

    static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "Service/serving.knative.dev/v1");

    private Workloads() {
    }

    static boolean isWorkload(JsonNode doc) {
        String kind = doc.path("kind").asText();
        return kind.equals("Deployment") || kind.equals("StatefulSet")
                || kind.equals("Service") && doc.path("apiVersion").asText().startsWith("serving.knative.dev/");
    }

    static JsonNode podSpec(JsonNode doc) {
        return doc.path("spec").path("template").path("spec");
    }

    /** @param camelShutdownSeconds camel.main.shutdown-timeout of the application */
    static List<String> errors(String where, JsonNode doc, int camelShutdownSeconds) {
        List<String> errors = new ArrayList<>();
        boolean knative = doc.path("apiVersion").asText().startsWith("serving.knative.dev/");
        JsonNode pod = podSpec(doc);
        String name = where + " " + doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
        // Knative refuses terminationGracePeriodSeconds and gives the pod the revision's timeoutSeconds instead
        int gracePeriod = knative
                ? KnativeFieldMask.gracePeriodSeconds(pod)
                : pod.path("terminationGracePeriodSeconds").asInt(30);
        if (gracePeriod <= camelShutdownSeconds) {
            errors.add(name + (knative ? ": timeoutSeconds" : ": terminationGracePeriodSeconds")
                    + " must be longer than Camel's shutdown timeout " + camelShutdownSeconds);
        }
        JsonNode containers = pod.path("containers");
        if (containers.isEmpty()) {
            errors.add(name + ": no containers");
        }
        for (JsonNode c : containers) {
            String container = name + " container " + c.path("name").asText("(unnamed)");
            boolean nonRoot = pod.path("securityContext").path("runAsNonRoot").asBoolean(false)
                    || c.path("securityContext").path("runAsNonRoot").asBoolean(false);
            if (!nonRoot) {
                errors.add(container + ": runAsNonRoot is not true");
            }
            if (c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)) {
                errors.add(container + ": allowPrivilegeEscalation is not false");
            }
            JsonNode resources = c.path("resources");
            for (String part : List.of("requests", "limits")) {
                if (!resources.path(part).has("memory")
                        || part.equals("requests") && !resources.path(part).has("cpu")) {
                    errors.add(container + ": resources." + part + " incomplete");
                }
            }
            if (c.path("readinessProbe").isMissingNode()) {
                errors.add(container + ": no readinessProbe");
            }
            if (!knative) {
                // Knative probes only its serving port; elsewhere health lives on the management port
                for (String probe : List.of("livenessProbe", "readinessProbe")) {
                    if (probe.equals("readinessProbe") && c.path(probe).has("grpc")) {
                        errors.addAll(grpcReadinessErrors(container, c));
                        continue;
                    }
                    JsonNode get = c.path(probe).path("httpGet");
                    String port = get.path("port").asText();
                    if (!port.equals("management") && !port.equals("9000")) {
                        errors.add(container + ": " + probe + " is not on the management port");
                    }
                    if (!get.path("path").asText().startsWith("/q/health/")) {
                        errors.add(container + ": " + probe + " is not a /q/health check");
                    }
                }
            }
            errors.addAll(routesMountErrors(container, pod, c));
        }
        return errors;
    }

    /**
     * Readiness may be Kubernetes' grpc probe instead: of Floe's service (the health service's status for it), on the
     * port the container declares as grpc. Liveness never: the health service says NOT_SERVING while the catalog is down.
     */
    private static List<String> grpcReadinessErrors(String container, JsonNode c) {
        List<String> errors = new ArrayList<>();
        JsonNode grpc = c.path("readinessProbe").path("grpc");
        if (!grpc.path("service").asText().equals("floe.v1.CloudEventService")) {
            errors.add(container + ": the grpc readinessProbe does not ask for floe.v1.CloudEventService");
        }
        boolean declared = false;
        for (JsonNode port : c.path("ports")) {
            declared |= port.path("name").asText().equals("grpc")
                    && port.path("containerPort").asInt() == grpc.path("port").asInt();
        }
        if (!declared) {
            errors.add(container + ": the grpc readinessProbe is not on the container's grpc port");
        }
        return errors;
    }

    private static List<String> routesMountErrors(String container, JsonNode pod, JsonNode c) {
        List<String> errors = new ArrayList<>();
        String routesDir = null;
        for (JsonNode env : c.path("env")) {
            if (env.path("name").asText().equals("FLOE_ROUTES_DIR")) {
                routesDir = env.path("value").asText();
            }
        }
        if (routesDir == null) {
            errors.add(container + ": FLOE_ROUTES_DIR not set");
            return errors;
        }
        JsonNode mount = null;
        for (JsonNode m : c.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(routesDir)) {
                mount = m;
            }
        }
        if (mount == null) {
            errors.add(container + ": nothing mounted at " + routesDir);
            return errors;
        }
        if (mount.has("subPath")) {
            errors.add(container + ": the routes are mounted with subPath, which never sees ConfigMap updates");
        }
        boolean fromConfigMap = false;
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(mount.path("name").asText()) && v.has("configMap")) {
                fromConfigMap = true;
            }
        }
        if (!fromConfigMap) {
            errors.add(container + ": the routes volume is not a ConfigMap");
        }
        return errors;
    }
}
