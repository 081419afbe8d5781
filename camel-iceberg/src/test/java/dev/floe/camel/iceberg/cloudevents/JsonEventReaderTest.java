package dev.floe.camel.iceberg.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

import dev.floe.camel.iceberg.JsonEventData;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonEventReaderTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Violation> violations(String json) {
        try {
            JsonEventReader.readEvent(utf8(json));
        } catch (InvalidCloudEventException e) {
            return e.violations();
        }
        throw new AssertionError("accepted: " + json);
    }

    /** The example from the CloudEvents JSON format spec (v1.0.2, section 3). */
    @Test
    void aUtf16BodyIsAnUnsupportedFormatNotAServerError() {
        byte[] utf16 = "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"data\":{\"a\":1}}"
                .getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf16)).isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> JsonEventReader.readBatch(("[" + new String(utf16,
                StandardCharsets.UTF_16LE) + "]").getBytes(StandardCharsets.UTF_16BE)))
                .isInstanceOf(UnsupportedFormatException.class);
    }

    @Test
    void specExample() {
        CloudEvent event = JsonEventReader.readEvent(utf8("""
                {
                    "specversion" : "1.0",
                    "type" : "com.example.someevent",
                    "source" : "/mycontext",
                    "id" : "A234-1234-1234",
                    "time" : "2018-04-05T17:31:00Z",
                    "comexampleextension1" : "value",
                    "comexampleothervalue" : 5,
                    "datacontenttype" : "application/xml",
                    "data" : "<much wow=\\"xml\\"/>"
                }
                """));
        assertThat(event.getId()).isEqualTo("A234-1234-1234");
        assertThat(event.getSource()).isEqualTo(URI.create("/mycontext"));
        assertThat(event.getType()).isEqualTo("com.example.someevent");
        assertThat(event.getTime()).isEqualTo(OffsetDateTime.parse("2018-04-05T17:31:00Z"));
        assertThat(event.getExtension("comexampleextension1")).isEqualTo("value");
        assertThat(event.getExtension("comexampleothervalue")).isEqualTo(5);
        assertThat(event.getDataContentType()).isEqualTo("application/xml");
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("<much wow=\"xml\"/>");
    }

    @Test
    void specBase64Example() {
        CloudEvent event = JsonEventReader.readEvent(utf8("""
                {"specversion":"1.0","type":"com.example.someevent","source":"/mycontext","id":"A234-1234-1234",
                 "datacontenttype":"application/vnd.apache.thrift.binary","data_base64":"... base64 encoded string ..."}
                """.replace("... base64 encoded string ...", "AAECAw==")));
        assertThat(event.getData().toBytes()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void jsonDataStaysJsonText() {
        CloudEvent event = JsonEventReader.readEvent(utf8("""
                {"specversion":"1.0","type":"t","source":"/s","id":"1","data":{"a":[1,2]}}"""));
        assertThat(event.getData()).isInstanceOf(JsonEventData.class);
        assertThat(event.getData().toString()).isEqualTo("{\"a\":[1,2]}");
    }

    @Test
    void jsonDataIsKeptAsSentWithoutReserialising() {
        String data = "{ \"t\" : 1.50, \"s\" : \"caf\\u00e9 é\", \"n\" : [ ] }";
        CloudEvent event = JsonEventReader.readEvent(utf8("""
                {"specversion":"1.0","type":"t","source":"/s","id":"1","data": %s , "x":"y"}""".formatted(data)));
        assertThat(((JsonEventData) event.getData()).json()).isEqualTo(data);
        List<CloudEvent> batch = JsonEventReader.readBatch(utf8("""
                [{"specversion":"1.0","type":"t","source":"/s","id":"1","data":"text"},
                 {"data":%s,"specversion":"1.0","type":"t","source":"/s","id":"2"}]""".formatted(data)));
        assertThat(batch).extracting(e -> e.getData().toString()).containsExactly("\"text\"", data);
    }

    @Test
    void datacontenttypeAfterDataStillDecidesHowDataIsRead() {
        CloudEvent event = JsonEventReader.readEvent(
                utf8("""
                        {"specversion":"1.0","type":"t","source":"/s","id":"1","data":"a\\nb","datacontenttype":"text/plain"}"""));
        assertThat(event.getData()).isNotInstanceOf(JsonEventData.class);
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("a\nb");
        CloudEvent numbers = JsonEventReader.readEvent(utf8("""
                {"specversion":"1.0","type":"t","source":"/s","id":"1","data":[1, 2],"datacontenttype":"text/csv"}"""));
        assertThat(new String(numbers.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("[1, 2]");
    }

    @Test
    void aSecondJsonValueIsRefusedNotDropped() {
        String event = """
                {"specversion":"1.0","type":"t","source":"/s","id":"1"}""";
        assertThat(violations(event + " " + event)).extracting(Violation::reason)
                .containsExactly("the body holds more than one JSON value");
        assertThatThrownBy(() -> JsonEventReader.readBatch(utf8("[" + event + "] []")))
                .hasMessageContaining("more than one JSON value");
        assertThat(JsonEventReader.readEvent(utf8(event + " \n")).getId()).isEqualTo("1");
    }

    @Test
    void malformedJsonAnywhereIsTheAnswerEvenAfterBadEvents() {
        assertThat(violations("""
                {"specversion":"2.0","type":"t","source":"/s","id":"1","data":{"a":}}"""))
                .singleElement().satisfies(v -> {
                    assertThat(v.attribute()).isEqualTo("/");
                    assertThat(v.reason()).startsWith("the body is not valid JSON");
                });
        String batch = "[" + "{},".repeat(200) + "{\"a\":1,\"a\":2}]";
        assertThatThrownBy(() -> JsonEventReader.readBatch(utf8(batch)))
                .isInstanceOfSatisfying(InvalidCloudEventException.class, e -> assertThat(e.violations())
                        .singleElement().extracting(Violation::reason).asString().contains("Duplicate field 'a'"));
    }

    @Test
    void nullMeansUnset() {
        CloudEvent event = JsonEventReader.readEvent(utf8("""
                {"specversion":"1.0","type":"t","source":"/s","id":"1","subject":null,"data":null,"myext":null}"""));
        assertThat(event.getSubject()).isNull();
        assertThat(event.getData()).isNull();
        assertThat(event.getExtensionNames()).isEmpty();
    }

    @Test
    void everyRequiredAttributeIsReported() {
        assertThat(violations("{}")).extracting(Violation::attribute)
                .containsExactlyInAnyOrder("specversion", "id", "source", "type");
    }

    @Test
    void emptyStringsAreNotValues() {
        assertThat(violations("""
                {"specversion":"1.0","type":"","source":"","id":"","subject":""}"""))
                .extracting(Violation::attribute).containsExactlyInAnyOrder("id", "source", "type", "subject");
    }

    @Test
    void typeSystem() {
        assertThat(violations("""
                {"specversion":"1.0","type":"t","source":"/s","id":"1","time":"2018-04-05 17:31:00",
                 "dataschema":"/relative","datacontenttype":"not a media type"}"""))
                .extracting(Violation::attribute).containsExactlyInAnyOrder("time", "dataschema", "datacontenttype");
        assertThat(violations("""
                {"specversion":"1.0","type":"t","source":"/s","id":1}""")).extracting(Violation::reason)
                .contains("must be a JSON string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2018-04-05T17:31:00Z", "2018-04-05t17:31:00.123456789z", "1985-04-12T23:20:50.52+05:30"})
    void rfc3339TimesAreAccepted(String time) {
        assertThat(EventAttributes.time(time)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2018-04-05", "2018-04-05T17:31Z", "2018-02-30T00:00:00Z", "yesterday",
            "2018-04-05T17:31:00"})
    void nonRfc3339TimesAreRejected(String time) {
        assertThat(EventAttributes.time(time)).isNull();
    }

    @Test
    void extensionRules() {
        assertThat(violations(
                """
                        {"specversion":"1.0","type":"t","source":"/s","id":"1","Upper":"x","with-dash":"y","num":1.5,"obj":{}}"""))
                .extracting(Violation::attribute).containsExactlyInAnyOrder("Upper", "with-dash", "num", "obj");
        CloudEvent ok = JsonEventReader.readEvent(utf8("""
                {"specversion":"1.0","type":"t","source":"/s","id":"1","a1":"x","flag":false,"n":-2147483648}"""));
        assertThat(ok.getExtension("flag")).isEqualTo(false);
        assertThat(ok.getExtension("n")).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void dataAndDataBase64AreExclusive() {
        assertThat(violations("""
                {"specversion":"1.0","type":"t","source":"/s","id":"1","data":"x","data_base64":"eA=="}"""))
                .extracting(Violation::attribute).containsExactly("data_base64");
        assertThat(violations("""
                {"specversion":"1.0","type":"t","source":"/s","id":"1","data_base64":"***"}"""))
                .extracting(Violation::attribute).containsExactly("data_base64");
    }

    @Test
    void duplicateMembersAreRejected() {
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf8("""
                {"specversion":"1.0","type":"t","source":"/s","id":"1","id":"2"}""")))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("Duplicate");
    }

    @Test
    void batchReportsIndexedLocationsAndIsAllOrNothing() {
        assertThatThrownBy(() -> JsonEventReader.readBatch(utf8("""
                [{"specversion":"1.0","type":"t","source":"/s","id":"1"},
                 {"specversion":"2.0","type":"t","source":"/s","id":"2"},
                 "not an object"]""")))
                .isInstanceOfSatisfying(InvalidCloudEventException.class, e -> assertThat(e.violations())
                        .extracting(Violation::attribute).containsExactly("/1/specversion", "/2/"));
        assertThat(JsonEventReader.readBatch(utf8("[]"))).isEmpty();
        assertThatThrownBy(() -> JsonEventReader.readBatch(utf8("{}"))).hasMessageContaining("JSON array");
    }
}
