package dev.floe.camel.iceberg.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Every sender-controlled size has a cap, enforced by the readers all sources share, with the cap in the message. */
class ReaderLimitsTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String event(String extra) {
        return "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"" + extra + "}";
    }

    private static Message kafka(DefaultCamelContext context, String body, Object... headers) {
        Message m = new DefaultExchange(context).getIn();
        m.setHeader("ce_specversion", "1.0");
        m.setHeader("ce_id", "1");
        m.setHeader("ce_source", "/k");
        m.setHeader("ce_type", "t");
        for (int i = 0; i < headers.length; i += 2) {
            m.setHeader((String) headers[i], headers[i + 1]);
        }
        m.setBody(utf8(body));
        return m;
    }

    @Test
    void aMegabyteIdIsRefusedNamingTheLimit() {
        String id = "x".repeat(1024 * 1024);
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf8(event(",\"subject\":\"" + id + "\""))))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("maxAttributeBytes (2048)")
                .hasMessageNotContaining(
                        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    }

    @Test
    void attributeSizeCountsUtf8Bytes() {
        String fits = "é".repeat(1024); // 2,048 bytes
        assertThat(JsonEventReader.readEvent(utf8(event(",\"subject\":\"" + fits + "\""))).getSubject())
                .isEqualTo(fits);
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf8(event(",\"subject\":\"" + fits + "e\""))))
                .hasMessageContaining("2049 bytes").hasMessageContaining("maxAttributeBytes (2048)");
    }

    @Test
    void tooManyExtensionsAreRefused() {
        StringBuilder extensions = new StringBuilder();
        for (int i = 0; i < 33; i++) {
            extensions.append(",\"ext").append(i).append("\":\"v\"");
        }
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf8(event(extensions.toString()))))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("33 extension attributes")
                .hasMessageContaining("maxExtensions (32)");
    }

    @Test
    void allAttributesTogetherHaveACap() {
        StringBuilder extensions = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            extensions.append(",\"ext").append(i).append("\":\"").append("v".repeat(2000)).append('"');
        }
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf8(event(extensions.toString()))))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("maxAttributesBytes (16384)");
    }

    @Test
    void dataBase64HasACapCheckedBeforeDecoding() {
        String base64 = "QUFB".repeat(400_000); // 1,600,000 characters
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf8(event(",\"data_base64\":\"" + base64 + "\""))))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("maxDataBase64Length (1398104)");
    }

    @Test
    void deepJsonIsALimitNotAServerError() {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf8(event(",\"data\":" + deep))))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("maxJsonDepth (64)");
        assertThatThrownBy(() -> JsonEventReader.readBatch(utf8("[" + deep + "]")))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("maxJsonDepth (64)");
        assertThatThrownBy(() -> CloudEventMessages.read(kafka(new DefaultCamelContext(), deep, "content-type",
                "application/json"), BinaryModeReader.Binding.KAFKA))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("maxJsonDepth (64)");
    }

    @Test
    void hugeNumbersAndNamesAreRefused() {
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf8(event(",\"data\":{\"n\":" + "9".repeat(5000) + "}"))))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("maxJsonNumberLength (100)");
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf8(event(",\"data\":{\"" + "n".repeat(300) + "\":1}"))))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("maxJsonNameLength (256)");
    }

    @Test
    void binaryModeHeadersHaveTheSameCaps() {
        assertThatThrownBy(() -> CloudEventMessages.read(
                kafka(new DefaultCamelContext(), "x", "ce_id", utf8("i".repeat(5000))), BinaryModeReader.Binding.KAFKA))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("maxAttributeBytes (2048)");
    }

    @Test
    void aStringDeepInsideDataMeetsTheStringCap() {
        CloudEventLimits d = CloudEventLimits.DEFAULTS;
        CloudEventLimits small = new CloudEventLimits(d.maxAttributeBytes(), d.maxExtensions(),
                d.maxAttributesBytes(), d.maxDataBase64Length(), d.maxJsonDepth(), 1000, d.maxJsonNumberLength(),
                d.maxJsonNameLength(), d.maxJsonDocumentLength());
        String fits = ",\"data\":{\"k\":[\"" + "s".repeat(1000) + "\"]}";
        assertThat(JsonEventReader.readEvent(utf8(event(fits)), small).getData()).isNotNull();
        assertThatThrownBy(() -> JsonEventReader.readEvent(utf8(event(",\"data\":{\"k\":[\"" + "s".repeat(5000)
                + "\"]}")), small)).isInstanceOf(EventLimitExceededException.class)
                .hasMessageContaining("maxJsonStringLength (1000)");
    }

    @Test
    void theIcebergComponentsOptionsSetTheLimits() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            ((dev.floe.camel.iceberg.IcebergComponent) context.getComponent("iceberg")).getConfiguration()
                    .setMaxExtensions(2);
            List<CloudEvent> two = CloudEventMessages.read(kafka(context, "x", "ce_a", "1", "ce_b", "2"),
                    BinaryModeReader.Binding.KAFKA);
            assertThat(two).hasSize(1);
            assertThatThrownBy(() -> CloudEventMessages.read(kafka(context, "x", "ce_a", "1", "ce_b", "2", "ce_c", "3"),
                    BinaryModeReader.Binding.KAFKA)).isInstanceOf(EventLimitExceededException.class)
                    .hasMessageContaining("maxExtensions (2)");
        }
    }

    @Test
    void aLimitInABatchIsAnEventLimitExceededWithEveryViolation() {
        String batch = "[" + event(",\"subject\":\"" + "s".repeat(3000) + "\"") + ","
                + "{\"specversion\":\"1.0\",\"id\":\"\",\"source\":\"/s\",\"type\":\"t\"}]";
        assertThatThrownBy(() -> JsonEventReader.readBatch(utf8(batch))).isInstanceOf(EventLimitExceededException.class)
                .satisfies(e -> assertThat(((InvalidCloudEventException) e).violations()).hasSize(2));
    }

    @Test
    void aBatchOfManyBadEventsListsOnlyTheFirstViolations() {
        // a megabyte of {} would otherwise answer with a million violations
        String batch = "[" + "{},".repeat(10_000) + "{}]";
        assertThatThrownBy(() -> JsonEventReader.readBatch(utf8(batch))).isInstanceOf(InvalidCloudEventException.class)
                .satisfies(e -> assertThat(((InvalidCloudEventException) e).violations())
                        .hasSizeBetween(InvalidCloudEventException.MAX_LISTED,
                                InvalidCloudEventException.MAX_LISTED + 1)
                        .last().extracting(Violation::reason).asString().contains("not checked past event"));
    }

    @Test
    void eventsBuiltElsewhereMeetTheSameCapsNamedByTheirPosition() {
        CloudEventLimits limits = CloudEventLimits.DEFAULTS;
        CloudEventBuilder usual = CloudEventBuilder.v1().withId("1").withSource(java.net.URI.create("/s")).withType("t")
                .withExtension("tenant", "acme").withExtension("attempt", 3);
        limits.requireWithin(usual.build(), 0);
        // 2,048 bytes in 1,024 chars: past the quick bound by lengths, within the cap once counted
        limits.requireWithin(usual.newBuilder().withSubject("é".repeat(1024)).build(), 0);

        assertThatThrownBy(() -> limits.requireWithin(usual.newBuilder().withSubject("s".repeat(3000)).build(), 3))
                .isInstanceOf(EventLimitExceededException.class)
                .satisfies(e -> assertThat(((InvalidCloudEventException) e).violations()).singleElement()
                        .satisfies(v -> assertThat(v.attribute()).isEqualTo("/3/subject"))
                        .extracting(Violation::reason).asString().contains("maxAttributeBytes (2048)"));
        assertThatThrownBy(() -> limits.requireWithin(usual.newBuilder().withExtension("big", "v".repeat(3000))
                .build(), 0)).hasMessageContaining("maxAttributeBytes (2048)");
        CloudEventBuilder many = usual.newBuilder();
        for (int i = 0; i < 31; i++) {
            many.withExtension("ext" + i, "v");
        }
        assertThatThrownBy(() -> limits.requireWithin(many.build(), 1)).isInstanceOf(EventLimitExceededException.class)
                .hasMessageContaining("33 extension attributes").hasMessageContaining("maxExtensions (32)");
    }

    @Test
    void theQuickBoundOfATimeIsNeverBelowItsText() {
        // the longest text a time can have; the quick check judges a time by a constant, not by building its text
        OffsetDateTime longest = OffsetDateTime.of(LocalDateTime.MAX, ZoneOffset.ofHoursMinutesSeconds(17, 59, 59));
        int length = longest.toString().length();
        CloudEventBuilder event = CloudEventBuilder.v1().withId("1").withSource(java.net.URI.create("/s"))
                .withType("t").withTime(longest);
        limitsWithAttributeCap(length).requireWithin(event.build(), 0);
        assertThatThrownBy(() -> limitsWithAttributeCap(length - 1).requireWithin(event.build(), 2))
                .isInstanceOf(EventLimitExceededException.class)
                .satisfies(e -> assertThat(((InvalidCloudEventException) e).violations()).singleElement()
                        .extracting(Violation::attribute).isEqualTo("/2/time"));
    }

    private static CloudEventLimits limitsWithAttributeCap(int maxAttributeBytes) {
        CloudEventLimits d = CloudEventLimits.DEFAULTS;
        return new CloudEventLimits(maxAttributeBytes, d.maxExtensions(), d.maxAttributesBytes(),
                d.maxDataBase64Length(), d.maxJsonDepth(), d.maxJsonStringLength(), d.maxJsonNumberLength(),
                d.maxJsonNameLength(), d.maxJsonDocumentLength());
    }
}
