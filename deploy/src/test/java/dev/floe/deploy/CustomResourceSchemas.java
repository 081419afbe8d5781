package dev.floe.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.util.StringHelper;

/**
 * The kinds k8s/ uses that have no fabric8 model resolvable here, each checked against a hand-written schema in
 * src/test/resources/schemas/ that lists the fields of the kind and refuses any other: Camel K (the Apache Camel K Java
 * model, org.apache.camel.k:camel-k-crds, and fabric8's camel-k-model-v1 7.4.0 do not resolve), KEDA (fabric8 has no
 * model) and kustomize's Kustomization (not an API object).
 */
final class CustomResourceSchemas {

    static final String TRAIT_ANNOTATION = "trait.camel.apache.org/";
    static final JsonNode CAMEL_K = read("camel-k-v1.json");
    static final Map<String, JsonSchema> KINDS = Map.of(
            "camel.apache.org/v1/Integration", schema("camel-k-v1.json", "Integration"),
            "camel.apache.org/v1/Pipe", schema("camel-k-v1.json", "Pipe"),
            "keda.sh/v1alpha1/ScaledObject", schema("keda-v1alpha1.json", "ScaledObject"),
            "kustomize.config.k8s.io/v1beta1/Kustomization", schema("kustomize-v1beta1.json", "Kustomization"));

    private CustomResourceSchemas() {
    }

    static boolean has(JsonNode object) {
        return KINDS.containsKey(KubernetesModels.key(object));
    }

    static List<String> errors(String where, JsonNode object) {
        String name = where + " " + KubernetesModels.key(object) + " " + object.at("/metadata/name").asText();
        List<String> errors = new ArrayList<>(KubernetesModels.metadataErrors(name, object));
        KINDS.get(KubernetesModels.key(object)).validate(object).stream()
                .map(ValidationMessage::getMessage).map(m -> name + ": " + m).forEach(errors::add);
        if (object.path("apiVersion").asText().equals("camel.apache.org/v1")) {
            errors.addAll(traitAnnotationErrors(name, object.at("/metadata/annotations")));
        }
        return errors;
    }

    /**
     * Camel K also reads traits from annotations, trait.camel.apache.org/&lt;trait&gt;.&lt;property&gt; with the
     * property in kebab case (mount.configs, health.liveness-probe-enabled): the trait must exist, and for the traits
     * the schema spells out, so must the property.
     */
    static List<String> traitAnnotationErrors(String where, JsonNode annotations) {
        List<String> errors = new ArrayList<>();
        JsonNode traits = CAMEL_K.at("/definitions/Traits/properties");
        annotations.fieldNames().forEachRemaining(key -> {
            if (!key.startsWith(TRAIT_ANNOTATION)) {
                return;
            }
            String[] traitAndProperty = key.substring(TRAIT_ANNOTATION.length()).split("\\.", 2);
            JsonNode trait = traits.path(traitAndProperty[0]);
            if (trait.isMissingNode() || traitAndProperty.length < 2) {
                errors.add(where + ": annotation " + key + " names no trait property");
            } else if (trait.path("additionalProperties").isBoolean()) {
                String property = StringHelper.dashToCamelCase(traitAndProperty[1]);
                boolean known = trait.path("properties").has(property);
                var patterns = trait.path("patternProperties").fieldNames();
                while (patterns.hasNext()) {
                    known |= property.matches(patterns.next());
                }
                if (!known) {
                    errors.add(where + ": annotation " + key + ": trait " + traitAndProperty[0] + " has no property "
                            + traitAndProperty[1]);
                }
            }
        });
        return errors;
    }

    private static JsonNode read(String file) {
        try (InputStream in = CustomResourceSchemas.class.getResourceAsStream("/schemas/" + file)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema schema(String file, String kind) {
        ObjectNode root = (ObjectNode) read(file);
        root.put("$ref", "#/definitions/" + kind);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(root);
    }
}
