package dev.floe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;

/**
 * Renders a kustomization of k8s/ the way {@code kubectl kustomize} does, for the features k8s/ uses: resources (files
 * and other kustomizations), JSON 6902 patches on a kind and name, configMapGenerator literals and the namespace. Name
 * hashes, labels and image tags are left out: they change no field's type, and the strict parse is what this is for.
 * No kustomize binary is needed (and CI has none).
 */
final class Kustomize {

    private Kustomize() {
    }

    static List<JsonNode> render(Path dir) {
        JsonNode k = Repository.read(dir.resolve("kustomization.yaml"));
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode resource : k.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                objects.addAll(Repository.documents(path));
            }
        }
        for (JsonNode generator : k.path("configMapGenerator")) {
            ObjectNode configMap = Repository.YAML.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
            configMap.putObject("metadata").put("name", generator.path("name").asText());
            ObjectNode data = configMap.putObject("data");
            for (JsonNode literal : generator.path("literals")) {
                String[] pair = literal.asText().split("=", 2);
                data.put(pair[0], pair[1]);
            }
            objects.add(configMap);
        }
        for (JsonNode patch : k.path("patches")) {
            JsonNode operations = patchOperations(dir, patch);
            String kind = patch.at("/target/kind").asText();
            String name = patch.at("/target/name").asText();
            for (int i = 0; i < objects.size(); i++) {
                JsonNode object = objects.get(i);
                if (object.path("kind").asText().equals(kind) && object.at("/metadata/name").asText().equals(name)) {
                    objects.set(i, JsonPatch.apply(operations, object));
                }
            }
        }
        if (k.has("namespace")) {
            objects.forEach(o -> ((ObjectNode) o.path("metadata")).put("namespace", k.path("namespace").asText()));
        }
        return objects;
    }

    private static JsonNode patchOperations(Path dir, JsonNode patch) {
        try {
            String text = patch.has("path")
                    ? Files.readString(dir.resolve(patch.path("path").asText()))
                    : patch.path("patch").asText();
            return Repository.YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
