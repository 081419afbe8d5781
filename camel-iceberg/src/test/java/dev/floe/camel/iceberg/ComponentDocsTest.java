package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

/**
 * The option and header tables of the docs page are generated from the component metadata that the build generates
 * (src/generated/.../iceberg.json, from the javadoc and annotations). Like Camel's own update-readme step, the build
 * rewrites them in place when they are stale; on CI (CI=true) stale tables fail the build instead, so what is committed
 * is what the metadata says.
 */
class ComponentDocsTest {

    static final Path METADATA = Path.of("src/generated/resources/META-INF/dev/floe/camel/iceberg/iceberg.json");
    static final Path DOCS = Path.of("src/main/docs/iceberg-component.adoc");
    static final String START = "// component options: START";
    static final String END = "// component options: END";

    @Test
    void theOptionTablesAreTheGeneratedOnes() throws Exception {
        JsonObject json = (JsonObject) Jsoner.deserialize(Files.readString(METADATA));
        String docs = Files.readString(DOCS);
        int start = docs.indexOf(START);
        int end = docs.indexOf(END);
        assertThat(start).as("%s in %s", START, DOCS).isNotNegative();
        assertThat(end).as("%s in %s", END, DOCS).isGreaterThan(start);
        String current = docs.substring(start, end + END.length());
        String generated = START + " (generated from the component metadata by ComponentDocsTest; do not edit)\n"
                + tables(json) + END;
        if (!current.equals(generated)) {
            assertThat(System.getenv("CI")).as("%s has stale option tables: build locally and commit it", DOCS)
                    .isNotEqualTo("true");
            Files.writeString(DOCS, docs.substring(0, start) + generated + docs.substring(end + END.length()),
                    StandardCharsets.UTF_8);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCommittedPageListsEveryGeneratedOptionAndHeader() throws Exception {
        JsonObject json = (JsonObject) Jsoner.deserialize(Files.readString(METADATA));
        // the page as committed (and as published), not the tables generated from the same metadata
        String docs = Files.readString(DOCS);

        assertThat((Map<String, Object>) json.getMap("component")).containsEntry("scheme", "iceberg")
                .containsEntry("producerOnly", true);
        for (String section : new String[]{"componentProperties", "properties", "headers"}) {
            assertThat((Set<String>) json.getMap(section).keySet()).isNotEmpty()
                    .allSatisfy(
                            name -> assertThat(docs).as("%s %s in the tables", section, name)
                                    .contains("`" + name + "`"));
        }
    }

    static String tables(JsonObject json) {
        StringBuilder out = new StringBuilder();
        out.append(
                "=== Component options\n\nSet on the component, e.g. `camel.component.iceberg.commit-retries=3`; an endpoint")
                .append(" copies them and may override each one.\n\n");
        options(out, json.getMap("componentProperties"));
        out.append("\n=== Endpoint options\n\n`iceberg:table[?options]`\n\n");
        options(out, json.getMap("properties"));
        out.append("\n=== Message headers\n\n[width=\"100%\",cols=\"2,5,1\",options=\"header\"]\n|===\n")
                .append("| Name | Description | Type\n");
        json.getMap("headers").forEach((name, value) -> {
            JsonObject header = new JsonObject((Map<String, Object>) value);
            out.append("| `").append(name).append("` | ").append(cell(header.getString("description"))).append(" | ")
                    .append(simpleName(header.getString("javaType"))).append('\n');
        });
        return out.append("|===\n").toString();
    }

    @SuppressWarnings("unchecked")
    private static void options(StringBuilder out, Map<String, Object> options) {
        out.append("[width=\"100%\",cols=\"2,5,1,1\",options=\"header\"]\n|===\n")
                .append("| Name | Description | Default | Type\n");
        options.forEach((name, value) -> {
            JsonObject option = new JsonObject((Map<String, Object>) value);
            String group = option.getString("group");
            StringBuilder marks = new StringBuilder();
            if (Boolean.TRUE.equals(option.get("required"))) {
                marks.append(" *Required*");
            }
            if (Boolean.TRUE.equals(option.get("secret"))) {
                marks.append(" *Secret*");
            }
            if (Boolean.TRUE.equals(option.get("autowired"))) {
                marks.append(" *Autowired*");
            }
            Object defaultValue = option.get("defaultValue");
            out.append("| `").append(name).append("` (").append(group).append(")").append(" |").append(marks)
                    .append(' ').append(cell(option.getString("description"))).append(" | ")
                    .append(defaultValue == null ? "" : "`" + cell(String.valueOf(defaultValue)) + "`").append(" | ")
                    .append(simpleName(option.getString("javaType"))).append('\n');
        });
        out.append("|===\n");
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    private static String simpleName(String javaType) {
        String raw = javaType.contains("<") ? javaType.substring(0, javaType.indexOf('<')) : javaType;
        return raw.substring(raw.lastIndexOf('.') + 1);
    }
}
