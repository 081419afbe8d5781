package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every YAML route users edit (routes/), every Kamelet template (kamelets/) and every Camel K Integration flow (k8s/)
 * validates against the JSON Schema of Camel's YAML DSL, the one shipped inside the camel-yaml-dsl jar of the Camel
 * version Floe runs on; and the routes load into Camel's model.
 */
class YamlDslSchemaTest {

    static JsonSchema schema;
    static DefaultCamelContext camel;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = YamlDslSchemaTest.class.getClassLoader()
                .getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("schema/camelYamlDsl.json in the camel-yaml-dsl jar").isNotNull();
            JsonNode node = new ObjectMapper().readTree(in);
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(node);
        }
        camel = new DefaultCamelContext();
    }

    @AfterAll
    static void stop() throws Exception {
        camel.close();
    }

    static Set<String> errors(JsonNode routes) {
        return schema.validate(routes).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    @Test
    void routesFollowTheSchema() {
        List<Path> routes = Repository.files(Repository.ROUTES, ".yaml");
        assertThat(routes).isNotEmpty();
        for (Path file : routes) {
            JsonNode route = Repository.read(file);
            resolvePlaceholders(route, applicationProperties());
            assertThat(errors(route)).as(Repository.relative(file)).isEmpty();
        }
    }

    /**
     * Camel resolves a property placeholder before it binds the value, so a typed option may be a placeholder
     * ({@code autoStartup: "{{floe.kafka.enabled}}"}); the schema only knows the resolved type. A value that is one
     * placeholder of a boolean setting is replaced with its default: the placeholder's own ({@code {{name:default}}}),
     * else application.properties' (the schema takes numbers as strings anyway).
     */
    static void resolvePlaceholders(JsonNode node, Properties defaults) {
        if (node instanceof ObjectNode object) {
            object.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                Matcher m = PLACEHOLDER.matcher(value.isTextual() ? value.asText() : "");
                String resolved = !m.matches()
                        ? ""
                        : m.group(2) != null ? m.group(2) : defaults.getProperty(m.group(1), "");
                if (resolved.equals("true") || resolved.equals("false")) {
                    field.setValue(BooleanNode.valueOf(Boolean.parseBoolean(resolved)));
                } else {
                    resolvePlaceholders(value, defaults);
                }
            });
        } else if (node.isArray()) {
            node.forEach(item -> resolvePlaceholders(item, defaults));
        }
    }

    /** {{name}} or {{name:default}} */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}:]+)(?::([^}]*))?}}");

    static Properties applicationProperties() {
        Properties properties = new Properties();
        try (Reader in = Files
                .newBufferedReader(Repository.ROOT.resolve("app/src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    @Test
    void aPlaceholderForATypedOptionIsCheckedAsItsValue() throws Exception {
        JsonNode route = Repository.YAML.readTree("""
                - route:
                    id: switched
                    autoStartup: "{{floe.kafka.enabled}}"
                    from:
                      uri: direct:in
                      steps:
                        - log: x
                """);
        assertThat(errors(route)).isNotEmpty();
        resolvePlaceholders(route, applicationProperties());
        assertThat(errors(route)).isEmpty();
    }

    @Test
    void kameletTemplatesFollowTheSchema() {
        List<Path> kamelets = Repository.files(Repository.KAMELETS, ".kamelet.yaml");
        assertThat(kamelets).isNotEmpty();
        for (Path file : kamelets) {
            assertThat(errors(asRouteTemplate(Repository.read(file)))).as(Repository.relative(file)).isEmpty();
        }
    }

    /** Camel reads a Kamelet's spec.template as a routeTemplate whose id is the Kamelet's name. */
    static ArrayNode asRouteTemplate(JsonNode kamelet) {
        ObjectNode template = ((ObjectNode) kamelet.path("spec").path("template")).deepCopy();
        template.put("id", kamelet.path("metadata").path("name").asText());
        ArrayNode routes = Repository.YAML.createArrayNode();
        routes.addObject().set("routeTemplate", template);
        return routes;
    }

    @Test
    void camelKIntegrationFlowsFollowTheSchema() {
        int flows = 0;
        for (Path file : Repository.files(Repository.K8S.resolve("camel-k"), ".yaml")) {
            for (JsonNode doc : Repository.documents(file)) {
                // an Integration may name its routes as sources instead (integration-routes.yaml reads routes/ from a
                // ConfigMap, checked by routesFollowTheSchema)
                if ("Integration".equals(doc.path("kind").asText()) && doc.path("spec").has("flows")) {
                    JsonNode spec = doc.path("spec").path("flows");
                    flows += spec.size();
                    assertThat(errors(spec)).as(Repository.relative(file)).isEmpty();
                }
            }
        }
        assertThat(flows).as("flows of the Integration examples").isPositive();
    }

    @Test
    void aMisspelledStepFailsTheSchema() throws Exception {
        JsonNode route = Repository.YAML.readTree("""
                - route:
                    id: typo
                    from:
                      uri: direct:in
                      steps:
                        - setHeadr:
                            name: x
                            constant: y
                """);
        assertThat(errors(route)).isNotEmpty();
    }

    @Test
    void routesLoadIntoCamelsModel() throws Exception {
        List<String> ids = new ArrayList<>();
        for (Path file : Repository.files(Repository.ROUTES, ".yaml")) {
            PluginHelper.getRoutesLoader(camel)
                    .loadRoutes(ResourceHelper.resolveMandatoryResource(camel, "file:" + file));
        }
        ((ModelCamelContext) camel).getRouteDefinitions().stream().map(RouteDefinition::getRouteId).forEach(ids::add);
        assertThat(ids).contains("http-to-iceberg");
        assertThat(((ModelCamelContext) camel).getRouteConfigurationDefinitions())
                .extracting(c -> c.getId()).contains("http-problems");
    }
}
