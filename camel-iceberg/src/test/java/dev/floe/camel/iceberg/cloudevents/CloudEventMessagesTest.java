package dev.floe.camel.iceberg.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;

import io.cloudevents.CloudEvent;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.DataType;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class CloudEventMessagesTest {

    private static Message message(String body, Object... headers) {
        Message m = new DefaultExchange(new DefaultCamelContext()).getIn();
        for (int i = 0; i < headers.length; i += 2) {
            m.setHeader((String) headers[i], headers[i + 1]);
        }
        m.setBody(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        return m;
    }

    @Test
    void kafkaBindingUsesUnencodedCeUnderscoreHeaders() {
        List<CloudEvent> events = CloudEventMessages.read(message("{\"a\":1}", "ce_specversion", "1.0", "ce_id", "1",
                "ce_source", "/k", "ce_type", "t", "ce_subject", "100%", "content-type", "application/json"),
                BinaryModeReader.Binding.KAFKA);
        assertThat(events.get(0).getSubject()).isEqualTo("100%");
        assertThat(events.get(0).getDataContentType()).isEqualTo("application/json");
    }

    @Test
    void onlyHttpHasABatchedMode() {
        String batch = "[{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/b\",\"type\":\"t\"},"
                + "{\"specversion\":\"1.0\",\"id\":\"2\",\"source\":\"/b\",\"type\":\"t\"}]";
        assertThat(CloudEventMessages.read(message(batch, "Content-Type", "application/cloudevents-batch+json"),
                BinaryModeReader.Binding.HTTP)).hasSize(2);
        assertThatThrownBy(() -> CloudEventMessages.read(
                message(batch, "content-type", "application/cloudevents-batch+json"), BinaryModeReader.Binding.KAFKA))
                .isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("Kafka protocol binding");
        assertThatThrownBy(() -> CloudEventMessages.read(
                message(batch, "Content-Type", "application/cloudevents-batch+json"), BinaryModeReader.Binding.AMQP))
                .isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("AMQP protocol binding");
    }

    @Test
    void kafkaHeaderValuesAreUtf8Bytes() {
        List<CloudEvent> events = CloudEventMessages.read(message("{}", "ce_specversion", utf8("1.0"), "ce_id",
                utf8("é-1"), "ce_source", utf8("/k"), "ce_type", utf8("t"), "ce_time", utf8("2026-11-22T10:00:00Z")),
                BinaryModeReader.Binding.KAFKA);
        assertThat(events.get(0).getId()).isEqualTo("é-1");
        assertThat(events.get(0).getTime()).hasToString("2026-11-22T10:00Z");
        assertThatThrownBy(() -> CloudEventMessages.read(message("{}", "ce_specversion", utf8("1.0"), "ce_id",
                new byte[]{(byte) 0xC3}, "ce_source", utf8("/k"), "ce_type", utf8("t")),
                BinaryModeReader.Binding.KAFKA)).isInstanceOf(InvalidCloudEventException.class)
                .hasMessageContaining("not UTF-8");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void amqpBindingAcceptsBothPrefixesAndNativeTypes() {
        List<CloudEvent> events = CloudEventMessages.read(message("x", "cloudEvents:specversion", "1.0",
                "cloudEvents_id", "1", "cloudEvents:source", "/a", "cloudEvents_type", "t",
                "cloudEvents:time", new Date(0), "cloudEvents:seq", 5), BinaryModeReader.Binding.AMQP);
        assertThat(events.get(0).getTime()).hasToString("1970-01-01T00:00Z");
        assertThat(events.get(0).getExtension("seq")).isEqualTo("5");
    }

    @Test
    void httpHeadersArePercentDecodedOthersAreNot() {
        assertThat(CloudEventMessages.read(message("", "ce-specversion", "1.0", "ce-id", "a%20b", "ce-source", "/s",
                "ce-type", "t"), BinaryModeReader.Binding.HTTP).get(0).getId()).isEqualTo("a b");
    }

    @Test
    void dataTypeTransformerReadsStructuredEvents() throws Exception {
        Message m = message("{\"specversion\":\"1.0\",\"id\":\"s\",\"source\":\"/s\",\"type\":\"t\"}",
                "Content-Type", "application/cloudevents+json");
        new CloudEventsDataTypeTransformer().transform(m, DataType.ANY,
                new DataType("iceberg:application-cloudevents"));
        assertThat(m.getBody(List.class)).singleElement().isInstanceOf(CloudEvent.class);
    }

    @Test
    void notACloudEvent() {
        assertThatThrownBy(() -> CloudEventMessages.read(message("x"), BinaryModeReader.Binding.KAFKA))
                .isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("ce_specversion");
    }
}
