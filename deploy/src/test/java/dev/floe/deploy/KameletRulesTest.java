package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The rules of the camel-kamelets catalogue's validator (script/validator/validator.go), checked on every file in
 * kamelets/, plus the ones that matter to Floe: versions that match the build, and Pipes that bind only declared
 * parameters. Each rule collects every violation so one run shows them all.
 */
class KameletRulesTest {

    // the validator's placeholder syntax: {{name}}, {{?name}}, {{name:default}}
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[?]?([A-Za-z0-9-._]+)(?::[^}]*)?}}");
    static final Set<String> TYPES = Set.of("source", "sink", "action");
    // words a Title Case title may leave in lower case
    static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of",
            "on", "or", "per", "the", "to", "with");
    static final Set<String> SECRET_WORDS = Set.of("password", "secret", "credential", "token", "accesskey",
            "secretkey");

    record Kamelet(Path file, JsonNode root) {

        String name() {
            return root.path("metadata").path("name").asText();
        }

        String type() {
            return root.path("metadata").path("labels").path("camel.apache.org/kamelet.type").asText();
        }

        JsonNode definition() {
            return root.path("spec").path("definition");
        }

        JsonNode template() {
            return root.path("spec").path("template");
        }

        Map<String, JsonNode> properties() {
            Map<String, JsonNode> properties = new LinkedHashMap<>();
            definition().path("properties").fields().forEachRemaining(e -> properties.put(e.getKey(), e.getValue()));
            return properties;
        }
    }

    static List<Kamelet> kamelets() {
        return Repository.files(Repository.KAMELETS, ".kamelet.yaml").stream()
                .map(f -> new Kamelet(f, Repository.read(f))).toList();
    }

    @Test
    void theFolderHoldsOnlyKamelets() {
        assertThat(kamelets()).extracting(Kamelet::name).contains("iceberg-sink", "cloudevents-validate-action");
        assertThat(Repository.files(Repository.KAMELETS, ".yaml")).as("YAML files in kamelets/")
                .allMatch(f -> f.getFileName().toString().endsWith(".kamelet.yaml"));
    }

    @Test
    void fileNameIsTheKameletName() {
        assertThat(fileNameErrors(kamelets())).isEmpty();
    }

    static List<String> fileNameErrors(List<Kamelet> kamelets) {
        List<String> errors = new ArrayList<>();
        for (Kamelet k : kamelets) {
            String expected = k.file().getFileName().toString().replace(".kamelet.yaml", "");
            if (!expected.equals(k.name())) {
                errors.add(k.file().getFileName() + " holds Kamelet " + k.name());
            }
            if (!"camel.apache.org/v1".equals(k.root().path("apiVersion").asText())
                    || !"Kamelet".equals(k.root().path("kind").asText())) {
                errors.add(k.name() + ": apiVersion/kind must be camel.apache.org/v1 Kamelet");
            }
        }
        return errors;
    }

    @Test
    void typeLabelMatchesNameAndTitle() {
        assertThat(typeErrors(kamelets())).isEmpty();
    }

    static List<String> typeErrors(List<Kamelet> kamelets) {
        List<String> errors = new ArrayList<>();
        for (Kamelet k : kamelets) {
            String type = k.type();
            if (!TYPES.contains(type)) {
                errors.add(k.name() + ": invalid camel.apache.org/kamelet.type label '" + type + "'");
                continue;
            }
            if (!k.name().endsWith("-" + type)) {
                errors.add(k.name() + ": name does not end with -" + type);
            }
            String suffix = type.substring(0, 1).toUpperCase(Locale.ROOT) + type.substring(1);
            if (!k.definition().path("title").asText().endsWith(suffix)) {
                errors.add(k.name() + ": title does not end with " + suffix);
            }
        }
        return errors;
    }

    @Test
    void definitionIsADocumentedObjectSchema() {
        assertThat(definitionErrors(kamelets())).isEmpty();
    }

    static List<String> definitionErrors(List<Kamelet> kamelets) {
        List<String> errors = new ArrayList<>();
        for (Kamelet k : kamelets) {
            JsonNode definition = k.definition();
            if (definition.isMissingNode()) {
                errors.add(k.name() + ": no spec.definition");
                continue;
            }
            if (k.template().isMissingNode()) {
                errors.add(k.name() + ": no spec.template");
            }
            if (definition.path("title").asText().isBlank()) {
                errors.add(k.name() + ": no title");
            }
            if (definition.path("description").asText().isBlank()) {
                errors.add(k.name() + ": no description");
            }
            if (!"object".equals(definition.path("type").asText())) {
                errors.add(k.name() + ": definition type is not object");
            }
            Set<String> required = new HashSet<>();
            for (JsonNode r : definition.path("required")) {
                if (!required.add(r.asText())) {
                    errors.add(k.name() + ": required property " + r.asText() + " listed twice");
                }
                if (!k.properties().containsKey(r.asText())) {
                    errors.add(k.name() + ": required property " + r.asText() + " is not defined");
                } else if (k.properties().get(r.asText()).has("default")) {
                    // a user may leave out a property with a default: it is not required
                    errors.add(k.name() + ": required property " + r.asText() + " has a default");
                }
            }
            k.properties().forEach((name, p) -> errors.addAll(propertyErrors(k.name(), name, p)));
        }
        return errors;
    }

    static List<String> propertyErrors(String kamelet, String name, JsonNode p) {
        List<String> errors = new ArrayList<>();
        String where = kamelet + " property " + name;
        if (p.path("type").asText().isBlank()) {
            errors.add(where + ": no type");
        }
        if (p.path("description").asText().isBlank()) {
            errors.add(where + ": no description");
        }
        String title = p.path("title").asText();
        if (title.isBlank()) {
            errors.add(where + ": no title");
        }
        for (String article : List.of("The ", "A ", "An ")) {
            if (title.startsWith(article)) {
                errors.add(where + ": title starts with '" + article.trim() + "'");
            }
        }
        for (String word : title.split(" ")) {
            if (!word.isEmpty() && !STOP_WORDS.contains(word.toLowerCase(Locale.ROOT))
                    && !Character.isUpperCase(word.codePointAt(0))) {
                errors.add(where + ": title word '" + word + "' is not capitalized");
            }
        }
        return errors;
    }

    @Test
    void secretsAreMaskedCredentials() {
        assertThat(secretErrors(kamelets())).isEmpty();
    }

    static List<String> secretErrors(List<Kamelet> kamelets) {
        List<String> errors = new ArrayList<>();
        for (Kamelet k : kamelets) {
            k.properties().forEach((name, p) -> {
                boolean password = "password".equals(p.path("format").asText());
                boolean credentials = false;
                for (JsonNode d : p.path("x-descriptors")) {
                    credentials |= "urn:camel:group:credentials".equals(d.asText());
                }
                if (password && !credentials) {
                    errors.add(
                            k.name() + " property " + name + ": password format without urn:camel:group:credentials");
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (!password && SECRET_WORDS.stream().anyMatch(lower::contains)) {
                    errors.add(k.name() + " property " + name + ": looks like a secret but is not format: password");
                }
            });
        }
        return errors;
    }

    @Test
    void annotationsNameIconVersionAndProvider() {
        assertThat(annotationErrors(kamelets())).isEmpty();
    }

    static List<String> annotationErrors(List<Kamelet> kamelets) {
        List<String> errors = new ArrayList<>();
        for (Kamelet k : kamelets) {
            JsonNode annotations = k.root().path("metadata").path("annotations");
            String icon = annotations.path("camel.apache.org/kamelet.icon").asText();
            String prefix = "data:image/svg+xml;base64,";
            if (!icon.startsWith(prefix)
                    || !new String(Base64.getDecoder().decode(icon.substring(prefix.length())), StandardCharsets.UTF_8)
                            .contains("<svg")) {
                errors.add(k.name() + ": camel.apache.org/kamelet.icon is not a base64 SVG data URI");
            }
            if (!Repository.VERSION.equals(annotations.path("camel.apache.org/catalog.version").asText())) {
                errors.add(k.name() + ": camel.apache.org/catalog.version is not the project version "
                        + Repository.VERSION);
            }
            // the upstream catalogue requires "Apache Software Foundation"; these Kamelets are not the ASF's
            if (annotations.path("camel.apache.org/provider").asText().isBlank()) {
                errors.add(k.name() + ": no camel.apache.org/provider annotation");
            }
        }
        return errors;
    }

    @Test
    void titlesAndDescriptionsAreUnique() {
        assertThat(duplicateErrors(kamelets())).isEmpty();
    }

    static List<String> duplicateErrors(List<Kamelet> kamelets) {
        Map<String, String> titles = new HashMap<>();
        Map<String, String> descriptions = new HashMap<>();
        List<String> errors = new ArrayList<>();
        for (Kamelet k : kamelets) {
            String title = titles.putIfAbsent(k.definition().path("title").asText(), k.name());
            if (title != null) {
                errors.add(k.name() + " has the title of " + title);
            }
            String description = descriptions.putIfAbsent(k.definition().path("description").asText(), k.name());
            if (description != null) {
                errors.add(k.name() + " has the description of " + description);
            }
        }
        return errors;
    }

    @Test
    void everyDeclaredParameterIsUsedAndEveryUsedOneDeclared() {
        assertThat(parameterErrors(kamelets())).isEmpty();
    }

    static List<String> parameterErrors(List<Kamelet> kamelets) {
        List<String> errors = new ArrayList<>();
        for (Kamelet k : kamelets) {
            Set<String> used = usedParameters(k.template());
            Set<String> declared = new TreeSet<>(k.properties().keySet());
            for (JsonNode bean : k.template().path("beans")) {
                declared.add(bean.path("name").asText());
            }
            for (String p : used) {
                if (!declared.contains(p)) {
                    errors.add(k.name() + ": parameter " + p + " is used but not declared");
                }
            }
            for (String p : declared) {
                if (!used.contains(p)) {
                    errors.add(k.name() + ": parameter " + p + " is declared but never used");
                }
            }
        }
        return errors;
    }

    static Set<String> usedParameters(JsonNode node) {
        Set<String> used = new TreeSet<>();
        collectStrings(node, s -> {
            Matcher m = PLACEHOLDER.matcher(s);
            while (m.find()) {
                used.add(m.group(1));
            }
        });
        return used;
    }

    static void collectStrings(JsonNode node, java.util.function.Consumer<String> sink) {
        if (node.isTextual()) {
            sink.accept(node.asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            sink.accept(e.getKey());
            collectStrings(e.getValue(), sink);
        }
        if (node.isArray()) {
            node.forEach(n -> collectStrings(n, sink));
        }
    }

    @Test
    void everyComponentUsedIsADependency() {
        assertThat(dependencyErrors(kamelets())).isEmpty();
    }

    static List<String> dependencyErrors(List<Kamelet> kamelets) {
        List<String> errors = new ArrayList<>();
        for (Kamelet k : kamelets) {
            List<String> dependencies = new ArrayList<>();
            k.root().path("spec").path("dependencies").forEach(d -> dependencies.add(d.asText()));
            for (String d : dependencies) {
                if (!d.startsWith("camel:") && !d.startsWith("mvn:")) {
                    errors.add(k.name() + ": dependency " + d + " is neither camel: nor mvn:");
                }
                if (d.startsWith("mvn:dev.floe:") && !d.endsWith(":" + Repository.VERSION)) {
                    errors.add(k.name() + ": dependency " + d + " is not version " + Repository.VERSION);
                }
            }
            Map<String, String> beanTypes = new HashMap<>();
            k.template().path("beans")
                    .forEach(b -> beanTypes.put("{{" + b.path("name").asText() + "}}", b.path("type").asText()));
            for (String scheme : schemesUsed(k.template())) {
                // a template-local component bean ({{name}}:...) comes from the jar of its class
                String component = beanTypes.getOrDefault(scheme, scheme);
                String needed = switch (component) {
                    case "iceberg", "#class:dev.floe.camel.iceberg.IcebergComponent" ->
                        "mvn:dev.floe:camel-iceberg:" + Repository.VERSION;
                    default -> "camel:" + scheme;
                };
                if (!dependencies.contains(needed)) {
                    errors.add(k.name() + ": uses " + scheme + ": but has no dependency " + needed);
                }
            }
            if (!dependencies.contains("camel:kamelet")) {
                errors.add(k.name() + ": no camel:kamelet dependency");
            }
        }
        return errors;
    }

    /** Endpoint schemes of every uri, to, toD and wireTap, and the schemes of data types (toType: scheme:name). */
    static Set<String> schemesUsed(JsonNode node) {
        Set<String> schemes = new TreeSet<>();
        walk(node, (key, value) -> {
            if (value.isTextual() && Set.of("uri", "to", "toD", "wireTap", "toType", "fromType").contains(key)) {
                String text = value.asText();
                int colon = text.indexOf(':');
                if (colon > 0) {
                    schemes.add(text.substring(0, colon));
                }
            }
            if ("kamelet".equals(key)) {
                schemes.add("kamelet");
            }
        });
        return schemes;
    }

    static void walk(JsonNode node, java.util.function.BiConsumer<String, JsonNode> visitor) {
        node.fields().forEachRemaining(e -> {
            visitor.accept(e.getKey(), e.getValue());
            walk(e.getValue(), visitor);
        });
        if (node.isArray()) {
            node.forEach(n -> walk(n, visitor));
        }
    }

    @Test
    void theRulesCatchABrokenKamelet() {
        Path file = Path.of("src/test/resources/broken/bad-sink.kamelet.yaml").toAbsolutePath();
        List<Kamelet> broken = List.of(new Kamelet(file, Repository.read(file)),
                new Kamelet(file, Repository.read(file)));
        assertThat(fileNameErrors(broken)).anyMatch(e -> e.contains("holds Kamelet other-sink"));
        assertThat(typeErrors(broken)).anyMatch(e -> e.contains("title does not end with Sink"));
        assertThat(definitionErrors(broken)).anyMatch(e -> e.contains("is not capitalized"))
                .anyMatch(e -> e.contains("title starts with 'The'"))
                .anyMatch(e -> e.contains("required property missing is not defined"))
                .anyMatch(e -> e.contains("required property mode has a default"));
        assertThat(secretErrors(broken)).anyMatch(e -> e.contains("password format without"))
                .anyMatch(e -> e.contains("looks like a secret"));
        assertThat(annotationErrors(broken)).anyMatch(e -> e.contains("kamelet.icon"))
                .anyMatch(e -> e.contains("catalog.version"));
        assertThat(duplicateErrors(broken)).isNotEmpty();
        assertThat(parameterErrors(broken)).anyMatch(e -> e.contains("parameter unused is declared but never used"))
                .anyMatch(e -> e.contains("parameter undeclared is used but not declared"));
        assertThat(dependencyErrors(broken)).anyMatch(e -> e.contains("uses iceberg: but has no dependency"));
    }

    @Test
    void pipesBindOnlyDeclaredParametersAndEveryRequiredOne() {
        Map<String, Kamelet> byName = new HashMap<>();
        kamelets().forEach(k -> byName.put(k.name(), k));
        List<String> errors = new ArrayList<>();
        int refs = 0;
        for (Path file : Repository.files(Repository.K8S.resolve("camel-k"), ".yaml")) {
            for (JsonNode doc : Repository.documents(file)) {
                if (!"Pipe".equals(doc.path("kind").asText())) {
                    continue;
                }
                List<JsonNode> ends = new ArrayList<>();
                ends.add(doc.path("spec").path("source"));
                doc.path("spec").path("steps").forEach(ends::add);
                ends.add(doc.path("spec").path("sink"));
                for (JsonNode end : ends) {
                    JsonNode ref = end.path("ref");
                    Kamelet k = byName.get(ref.path("name").asText());
                    if (!"Kamelet".equals(ref.path("kind").asText()) || k == null) {
                        continue;
                    }
                    refs++;
                    Set<String> given = new HashSet<>();
                    end.path("properties").fieldNames().forEachRemaining(given::add);
                    for (String p : given) {
                        if (!k.properties().containsKey(p)) {
                            errors.add(Repository.relative(file) + ": " + k.name() + " has no parameter " + p);
                        }
                    }
                    for (JsonNode r : k.definition().path("required")) {
                        if (!given.contains(r.asText())
                                && k.properties().get(r.asText()).path("default").isMissingNode()) {
                            errors.add(Repository.relative(file) + ": " + k.name() + " needs " + r.asText());
                        }
                    }
                }
            }
        }
        assertThat(refs).as("Pipes that bind Floe's Kamelets in k8s/").isPositive();
        assertThat(errors).isEmpty();
    }
}
