package dev.floe.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The kinds k8s/ uses that have no fabric8 model resolvable here, each checked against a hand-written schema in
 * src/test/resources/schemas/ that lists the fields of the kind and refuses any other: Camel K (the Apache Camel K Java
 * model, org.apache.camel.k:camel-k-crds, and fabric8's camel-k-model-v1 7.4.0 do not resolve), KEDA (fabric8 has no
 * model) and kustomize's Kustomization (not an API object).
 */
final class CustomResourceSchemas {

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
        List<String> errors = new java.util.ArrayList<>(KubernetesModels.metadataErrors(name, object));
        KINDS.get(KubernetesModels.key(object)).validate(object).stream()
                .map(ValidationMessage::getMessage).map(m -> name + ": " + m).forEach(errors::add);
        return errors;
    }

    private static JsonSchema schema(String file, String kind) {
        try (InputStream in = CustomResourceSchemas.class.getResourceAsStream("/schemas/" + file)) {
            ObjectNode root = (ObjectNode) new ObjectMapper().readTree(in);
            root.put("$ref", "#/definitions/" + kind);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
