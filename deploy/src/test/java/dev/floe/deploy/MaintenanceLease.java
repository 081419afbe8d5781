package dev.floe.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a workload needs so that one of its replicas maintains the tables through a Kubernetes Lease: the setting, the
 * pod's namespace and name from the downward API, pod labels that select its own pods, and a service account bound to
 * a Role granting the calls Camel's Kubernetes cluster service makes (get, create, update leases; list pods).
 */
final class MaintenanceLease {

    static final Set<String> LEASE_VERBS = Set.of("get", "create", "update");

    private MaintenanceLease() {
    }

    /**
     * Problems of a Deployment with the objects rendered beside it; settings are the environment of its container as
     * it would be, plain values and those of its env-from ConfigMap.
     */
    static List<String> errors(JsonNode deployment, List<JsonNode> objects, Map<String, String> configMapSettings) {
        List<String> errors = new ArrayList<>();
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        Map<String, String> settings = new HashMap<>(configMapSettings);
        Map<String, String> fieldRefs = new HashMap<>();
        for (JsonNode env : container.path("env")) {
            if (env.has("value")) {
                settings.put(env.path("name").asText(), env.path("value").asText());
            }
            if (env.at("/valueFrom/fieldRef").isObject()) {
                fieldRefs.put(env.path("name").asText(), env.at("/valueFrom/fieldRef/fieldPath").asText());
            }
        }
        if (!"kubernetes".equals(settings.get("FLOE_MAINTENANCE_CLUSTER"))) {
            errors.add("FLOE_MAINTENANCE_CLUSTER is not kubernetes: " + settings.get("FLOE_MAINTENANCE_CLUSTER"));
        }
        if (!"metadata.namespace".equals(fieldRefs.get("FLOE_MAINTENANCE_KUBERNETES_NAMESPACE"))) {
            errors.add("FLOE_MAINTENANCE_KUBERNETES_NAMESPACE is not the pod's namespace");
        }
        if (!"metadata.name".equals(fieldRefs.get("FLOE_MAINTENANCE_KUBERNETES_POD_NAME"))) {
            errors.add("FLOE_MAINTENANCE_KUBERNETES_POD_NAME is not the pod's name");
        }
        String labels = settings.getOrDefault("FLOE_MAINTENANCE_KUBERNETES_POD_LABELS", "");
        JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
        if (labels.isBlank()) {
            errors.add("FLOE_MAINTENANCE_KUBERNETES_POD_LABELS is not set");
        }
        for (String pair : labels.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || !podLabels.path(kv[0].trim()).asText().equals(kv[1].trim())) {
                errors.add("pod label " + pair + " is not on the Deployment's pods " + podLabels);
            }
        }

        String account = pod.path("serviceAccountName").asText("default");
        if (objects.stream().noneMatch(o -> is(o, "ServiceAccount") && name(o).equals(account))) {
            errors.add("no ServiceAccount " + account);
        }
        Set<String> leaseVerbs = new TreeSet<>();
        Set<String> podVerbs = new TreeSet<>();
        for (JsonNode binding : objects) {
            if (!is(binding, "RoleBinding") || !bindsTo(binding, account)) {
                continue;
            }
            for (JsonNode role : objects) {
                if (is(role, "Role") && name(role).equals(binding.at("/roleRef/name").asText())
                        && binding.at("/roleRef/kind").asText().equals("Role")) {
                    for (JsonNode rule : role.path("rules")) {
                        Set<String> verbs = new TreeSet<>();
                        rule.path("verbs").forEach(v -> verbs.add(v.asText()));
                        if (contains(rule, "apiGroups", "coordination.k8s.io")
                                && contains(rule, "resources", "leases")) {
                            leaseVerbs.addAll(verbs);
                        }
                        if (contains(rule, "apiGroups", "") && contains(rule, "resources", "pods")) {
                            podVerbs.addAll(verbs);
                        }
                    }
                }
            }
        }
        if (!leaseVerbs.containsAll(LEASE_VERBS)) {
            errors.add("service account " + account + " may only " + leaseVerbs + " leases, needs " + LEASE_VERBS);
        }
        if (!podVerbs.contains("list")) {
            errors.add("service account " + account + " may not list pods");
        }
        return errors;
    }

    static boolean is(JsonNode object, String kind) {
        return object.path("kind").asText().equals(kind);
    }

    static String name(JsonNode object) {
        return object.at("/metadata/name").asText();
    }

    static boolean bindsTo(JsonNode binding, String account) {
        for (JsonNode subject : binding.path("subjects")) {
            if (subject.path("kind").asText().equals("ServiceAccount")
                    && subject.path("name").asText().equals(account)) {
                return true;
            }
        }
        return false;
    }

    static boolean contains(JsonNode rule, String field, String value) {
        for (JsonNode item : rule.path(field)) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
