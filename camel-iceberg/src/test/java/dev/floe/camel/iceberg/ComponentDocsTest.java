package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

/** The docs page lists every option and header of the generated component metadata. */
class ComponentDocsTest {

    @Test
    void docsListEveryGeneratedOptionAndHeader() throws Exception {
        JsonObject json = (JsonObject) Jsoner.deserialize(
                Files.readString(Path.of("src/generated/resources/META-INF/dev/floe/camel/iceberg/iceberg.json")));
        String docs = Files.readString(Path.of("src/main/docs/iceberg-component.adoc"));

        assertThat((java.util.Map<String, Object>) json.getMap("component")).containsEntry("scheme", "iceberg")
                .containsEntry("producerOnly", true);
        for (String section : new String[]{"componentProperties", "properties", "headers"}) {
            assertThat((java.util.Set<String>) json.getMap(section).keySet()).isNotEmpty()
                    .allSatisfy(
                            name -> assertThat(docs).as("%s %s in the docs", section, name).contains("`" + name + "`"));
        }
    }
}
