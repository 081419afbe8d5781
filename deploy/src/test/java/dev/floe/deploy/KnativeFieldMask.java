package dev.floe.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Knative Serving accepts in a Service's revision template beyond the Kubernetes types: its webhook copies the pod
 * spec through a field mask (knative/serving {@code pkg/apis/serving/fieldmask.go}) and refuses a Service that sets a
 * field the mask does not copy ("must not set the field(s)"). Some fields pass only when an operator turned on a
 * feature flag in the config-features ConfigMap; this class checks against Knative's defaults
 * ({@code pkg/apis/config/features.go}: all of them Disabled but kubernetes.podspec-volumes-emptydir).
 * <p>
 * Among the refused: {@code terminationGracePeriodSeconds} (Knative sets the pod's grace period to the revision's
 * {@code timeoutSeconds}), {@code lifecycle} (Knative owns the container's preStop, which drains the queue-proxy),
 * {@code initContainers}, {@code restartPolicy}, a pod {@code securityContext} (flag kubernetes.podspec-securitycontext).
 */
final class KnativeFieldMask {

    /** Revision fields of Knative itself, beside the pod spec. */
    static final Set<String> REVISION = Set.of("containerConcurrency", "timeoutSeconds", "responseStartTimeoutSeconds",
            "idleTimeoutSeconds");
    static final Set<String> POD = Set.of("serviceAccountName", "containers", "volumes", "imagePullSecrets",
            "enableServiceLinks", "automountServiceAccountToken");
    /** pod spec fields allowed only with a config-features flag on */
    static final Map<String, String> POD_FLAGS = Map.ofEntries(
            Map.entry("affinity", "kubernetes.podspec-affinity"),
            Map.entry("topologySpreadConstraints", "kubernetes.podspec-topologyspreadconstraints"),
            Map.entry("hostAliases", "kubernetes.podspec-hostaliases"),
            Map.entry("nodeSelector", "kubernetes.podspec-nodeselector"),
            Map.entry("runtimeClassName", "kubernetes.podspec-runtimeclassname"),
            Map.entry("tolerations", "kubernetes.podspec-tolerations"),
            Map.entry("securityContext", "kubernetes.podspec-securitycontext"),
            Map.entry("shareProcessNamespace", "kubernetes.podspec-shareprocessnamespace"),
            Map.entry("priorityClassName", "kubernetes.podspec-priorityclassname"),
            Map.entry("schedulerName", "kubernetes.podspec-schedulername"),
            Map.entry("initContainers", "kubernetes.podspec-init-containers"),
            Map.entry("dnsPolicy", "kubernetes.podspec-dnspolicy"),
            Map.entry("dnsConfig", "kubernetes.podspec-dnsconfig"),
            Map.entry("hostIPC", "kubernetes.podspec-hostipc"),
            Map.entry("hostPID", "kubernetes.podspec-hostpid"),
            Map.entry("hostNetwork", "kubernetes.podspec-hostnetwork"));
    static final Set<String> CONTAINER = Set.of("name", "args", "command", "env", "workingDir", "envFrom", "image",
            "imagePullPolicy", "livenessProbe", "ports", "readinessProbe", "resources", "securityContext",
            "startupProbe", "terminationMessagePath", "terminationMessagePolicy", "volumeMounts");
    static final Set<String> CONTAINER_PORT = Set.of("containerPort", "name", "protocol");
    static final Set<String> VOLUME_MOUNT = Set.of("name", "readOnly", "mountPath", "subPath");
    static final Set<String> VOLUME_SOURCES = Set.of("secret", "configMap", "projected");
    static final Map<String, String> VOLUME_FLAGS = Map.of(
            "emptyDir", "kubernetes.podspec-volumes-emptydir",
            "persistentVolumeClaim", "kubernetes.podspec-persistent-volume-claim",
            "hostPath", "kubernetes.podspec-volumes-hostpath",
            "csi", "kubernetes.podspec-volumes-csi",
            "ephemeral", "kubernetes.podspec-volumes-ephemeral",
            "image", "kubernetes.podspec-volumes-image");
    static final Set<String> PROBE = Set.of("exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds",
            "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold",
            "terminationGracePeriodSeconds");
    static final Set<String> CONTAINER_SECURITY = Set.of("capabilities", "readOnlyRootFilesystem", "runAsUser",
            "runAsGroup", "runAsNonRoot", "allowPrivilegeEscalation", "seccompProfile", "privileged");
    static final Set<String> POD_SECURITY = Set.of("runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup",
            "supplementalGroups", "seccompProfile");
    static final Set<String> ENV_SOURCES = Set.of("configMapKeyRef", "secretKeyRef");

    /** Knative's defaults: only emptyDir volumes are on. */
    static final Set<String> DEFAULT_FLAGS = Set.of("kubernetes.podspec-volumes-emptydir");

    /** Seconds Knative gives a pod to stop: the revision's timeoutSeconds (config-defaults revision-timeout-seconds). */
    static int gracePeriodSeconds(JsonNode revisionSpec) {
        return revisionSpec.path("timeoutSeconds").asInt(300);
    }

    private KnativeFieldMask() {
    }

    static List<String> errors(String where, JsonNode service, Set<String> flags) {
        List<String> errors = new ArrayList<>();
        JsonNode pod = service.at("/spec/template/spec");
        String at = where + " spec.template.spec";
        pod.fieldNames().forEachRemaining(field -> {
            if (!REVISION.contains(field) && !POD.contains(field)) {
                refuse(errors, at + "." + field, POD_FLAGS.get(field), flags);
            }
        });
        if (pod.path("automountServiceAccountToken").asBoolean(false)) {
            errors.add(at + ".automountServiceAccountToken: only false is allowed");
        }
        if (flags.contains(POD_FLAGS.get("securityContext"))) {
            onlyFields(errors, at + ".securityContext", pod.path("securityContext"), POD_SECURITY);
        }
        for (JsonNode volume : pod.path("volumes")) {
            String v = at + ".volumes[" + volume.path("name").asText() + "]";
            volume.fieldNames().forEachRemaining(field -> {
                if (!field.equals("name") && !VOLUME_SOURCES.contains(field)) {
                    refuse(errors, v + "." + field, VOLUME_FLAGS.get(field), flags);
                }
            });
        }
        int i = 0;
        for (JsonNode container : pod.path("containers")) {
            String c = at + ".containers[" + i++ + "]";
            onlyFields(errors, c, container, CONTAINER);
            for (JsonNode port : container.path("ports")) {
                onlyFields(errors, c + ".ports", port, CONTAINER_PORT);
            }
            for (JsonNode mount : container.path("volumeMounts")) {
                mount.fieldNames().forEachRemaining(field -> {
                    if (!VOLUME_MOUNT.contains(field)) {
                        refuse(errors, c + ".volumeMounts." + field,
                                field.equals("mountPropagation")
                                        ? "kubernetes.podspec-volumes-mount-propagation"
                                        : null,
                                flags);
                    }
                });
            }
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                onlyFields(errors, c + "." + probe, container.path(probe), PROBE);
            }
            for (JsonNode env : container.path("env")) {
                env.path("valueFrom").fieldNames().forEachRemaining(field -> {
                    if (!ENV_SOURCES.contains(field)) {
                        refuse(errors, c + ".env[" + env.path("name").asText() + "].valueFrom." + field,
                                field.equals("fieldRef") || field.equals("resourceFieldRef")
                                        ? "kubernetes.podspec-fieldref"
                                        : null,
                                flags);
                    }
                });
            }
            JsonNode security = container.path("securityContext");
            onlyFields(errors, c + ".securityContext", security, CONTAINER_SECURITY);
            if (security.path("privileged").asBoolean(false)) {
                errors.add(c + ".securityContext.privileged: only false is allowed");
            }
            if (security.path("capabilities").has("add")) {
                refuse(errors, c + ".securityContext.capabilities.add", "kubernetes.containerspec-addcapabilities",
                        flags);
            }
        }
        return errors;
    }

    private static void onlyFields(List<String> errors, String at, JsonNode node, Set<String> allowed) {
        node.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                errors.add(at + "." + field + ": Knative refuses this field");
            }
        });
    }

    private static void refuse(List<String> errors, String field, String flag, Set<String> flags) {
        if (flag == null) {
            errors.add(field + ": Knative refuses this field");
        } else if (!flags.contains(flag)) {
            errors.add(field + ": Knative refuses this field unless config-features turns on " + flag);
        }
    }
}
