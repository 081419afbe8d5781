package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
            assertThat(errors(Repository.read(file))).as(Repository.relative(file)).isEmpty();
        }
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
                if ("Integration".equals(doc.path("kind").asText())) {
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
