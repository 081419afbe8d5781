package dev.floe.camel.iceberg.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Duplicate member names are refused wherever they are, in every way the readers move over JSON. */
class UniqueNamesParserTest {

    private static final String HEAD = "\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"";

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // an attribute, and one past the names kept in the array (the set takes over after 16)
            "{" + HEAD + ",\"id\":\"2\"}",
            "{" + HEAD + ",\"e1\":1,\"e2\":1,\"e3\":1,\"e4\":1,\"e5\":1,\"e6\":1,\"e7\":1,\"e8\":1,\"e9\":1,\"e10\":1"
                    + ",\"e11\":1,\"e12\":1,\"e13\":1,\"e14\":1,\"e15\":1,\"e2\":2}",
            // inside data, at any depth, inside arrays
            "{" + HEAD + ",\"data\":{\"a\":1,\"b\":{\"c\":1,\"c\":2}}}",
            "{" + HEAD + ",\"data\":[{\"a\":1},{\"a\":1,\"a\":2}]}",
            // inside values the reader refuses and skips: the JSON error is still the answer
            "{" + HEAD + ",\"subject\":{\"x\":1,\"x\":2}}",
            "{" + HEAD + ",\"ext\":[{\"y\":1,\"y\":2}]}",
            // a non-JSON media type keeps the data's JSON text: checked all the same
            "{" + HEAD + ",\"datacontenttype\":\"text/plain\",\"data\":{\"z\":1,\"z\":2}}"})
    void aDuplicateAnywhereIsInvalidJson(String json) {
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf8(json)))
                .isInstanceOfSatisfying(InvalidCloudEventException.class, e -> assertThat(e.violations())
                        .singleElement().satisfies(v -> {
                            assertThat(v.attribute()).isEqualTo("/");
                            assertThat(v.reason()).startsWith("the body is not valid JSON: Duplicate field '");
                        }));
    }

    @Test
    void theSameNameInSiblingObjectsOrBatchEventsIsFine() {
        String event = "{" + HEAD + ",\"data\":{\"a\":{\"k\":1},\"b\":{\"k\":2},\"c\":[{\"k\":1},{\"k\":2}]}}";
        assertThat(JsonEventReader.readBatch(utf8("[" + event + "," + event + "]"))).hasSize(2);
    }

    @Test
    void refusedInBinaryModeDataAndInSkippedBatchElements() {
        assertThatThrownBy(() -> JsonEventReader.jsonData(utf8("{\"a\":1,\"a\":1}"), "data"))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> JsonEventReader.readBatch(utf8("[[{\"q\":1,\"q\":2}]]")))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("Duplicate field 'q'");
    }

    @Test
    void anObjectOfAHundredThousandNamesIsReadAndItsDuplicateFound() {
        // 100,000 names in one object: a scan of all earlier names per name would be 5 billion comparisons
        StringBuilder data = new StringBuilder("{");
        for (int i = 0; i < 100_000; i++) {
            data.append(i == 0 ? "" : ",").append("\"n").append(i).append("\":0");
        }
        String json = "{" + HEAD + ",\"data\":" + data + "}}";
        assertThat(JsonEventReader.readEvent(utf8(json)).getData()).isNotNull();
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf8(json.replace("\"n99999\"", "\"n5\""))))
                .hasMessageContaining("Duplicate field 'n5'");
    }
}
