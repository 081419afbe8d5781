package dev.floe.deploy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * Reads Kubernetes objects into fabric8's generated models of the API (the version the application's camel-kubernetes
 * uses) the way an API server reads them: a field the type does not have fails, and so does a value of the wrong type.
 * <p>
 * fabric8 itself is lenient on purpose: every model class has a {@code @JsonAnySetter} that keeps unknown fields in
 * {@code additionalProperties}, and its {@code KubernetesSerialization} turns FAIL_ON_UNKNOWN_PROPERTIES off. Here the
 * introspector hides every any-setter (and any ignoreUnknown), so Jackson's own FAIL_ON_UNKNOWN_PROPERTIES applies and
 * its message names the path of the field ({@code spec.template.spec.containers[0].readinesProbe}).
 */
final class KubernetesModels {

    /** apiVersion/kind → the model class; a kind missing here has no model and is an error, never skipped. */
    static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("batch/v1/CronJob", CronJob.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("serving.knative.dev/v1/Service", io.fabric8.knative.serving.v1.Service.class),
            Map.entry("eventing.knative.dev/v1/Trigger", Trigger.class),
            Map.entry("route.openshift.io/v1/Route", Route.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class));

    static final ObjectMapper STRICT = JsonMapper.builder()
            .annotationIntrospector(new NoAnySetterIntrospector())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            // "replicas: '2'" or "readOnly: 'true'" are refused by the API server: refuse them here too
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private KubernetesModels() {
    }

    static String key(JsonNode object) {
        return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    }

    static boolean hasModel(JsonNode object) {
        return KINDS.containsKey(key(object));
    }

    /** The object read into its model, or the reason it cannot be. */
    static List<String> errors(String where, JsonNode object) {
        Class<?> model = KINDS.get(key(object));
        String name = where + " " + key(object) + " " + object.at("/metadata/name").asText();
        if (model == null) {
            return List.of(name + ": no model for this apiVersion and kind");
        }
        try {
            STRICT.treeToValue(object, model);
            return List.of();
        } catch (JsonProcessingException e) {
            return List.of(name + ": " + describe(e));
        }
    }

    /** metadata read strictly, for the kinds that have no fabric8 model (Camel K, KEDA, kustomize) */
    static List<String> metadataErrors(String where, JsonNode object) {
        if (!object.has("metadata")) {
            return List.of();
        }
        try {
            STRICT.treeToValue(object.get("metadata"), ObjectMeta.class);
            return List.of();
        } catch (JsonProcessingException e) {
            return List.of(where + ": metadata " + describe(e));
        }
    }

    /** Jackson's reason with the path of the field in the manifest, e.g. spec.template.spec.containers[0] */
    static String describe(JsonProcessingException e) {
        StringBuilder path = new StringBuilder();
        if (e instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
        }
        return "at " + path + ": " + e.getOriginalMessage();
    }

    /** Jackson's annotations, less the ones fabric8 uses to keep unknown fields. */
    static final class NoAnySetterIntrospector extends JacksonAnnotationIntrospector {

        @Override
        public Boolean hasAnySetter(Annotated a) {
            return Boolean.FALSE;
        }

        @Override
        public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
            JsonIgnoreProperties.Value value = super.findPropertyIgnoralByName(config, a);
            return value.withoutIgnoreUnknown();
        }

    }
}
