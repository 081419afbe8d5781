package dev.floe.camel.iceberg.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import dev.floe.camel.iceberg.JsonEventData;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.protobuf.ProtobufFormat;
import io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ProtobufEventReaderTest {

    static io.cloudevents.v1.proto.CloudEvent.Builder proto(String id) {
        return io.cloudevents.v1.proto.CloudEvent.newBuilder().setSpecVersion("1.0").setId(id).setSource("/tests/proto")
                .setType("dev.floe.test");
    }

    static CloudEventAttributeValue string(String value) {
        return CloudEventAttributeValue.newBuilder().setCeString(value).build();
    }

    /** A CloudEventBatch as the format defines it: each event in field 1. */
    static byte[] batch(io.cloudevents.v1.proto.CloudEvent... events) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (io.cloudevents.v1.proto.CloudEvent event : events) {
            out.writeMessage(1, event);
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static List<Violation> violations(Runnable read) {
        try {
            read.run();
        } catch (InvalidCloudEventException e) {
            return e.violations();
        }
        throw new AssertionError("the input was accepted");
    }

    @Test
    void everyAttributeTypeReachesTheCanonicalEvent() {
        byte[] body = proto("p-1")
                .putAttributes("subject", string("café"))
                .putAttributes("time", CloudEventAttributeValue.newBuilder()
                        .setCeTimestamp(Timestamp.newBuilder().setSeconds(1_767_225_600L).setNanos(500_000_000))
                        .build())
                .putAttributes("dataschema",
                        CloudEventAttributeValue.newBuilder().setCeUri("https://example.com/s.json").build())
                .putAttributes("datacontenttype", string("application/json"))
                .putAttributes("traceparent", string("00-abc"))
                .putAttributes("count", CloudEventAttributeValue.newBuilder().setCeInteger(-5).build())
                .putAttributes("final", CloudEventAttributeValue.newBuilder().setCeBoolean(true).build())
                .putAttributes("blob", CloudEventAttributeValue.newBuilder()
                        .setCeBytes(ByteString.copyFrom(new byte[]{0, 1, 2})).build())
                .putAttributes("ref", CloudEventAttributeValue.newBuilder().setCeUriRef("../x").build())
                .setTextData("{\"celsius\": 21.5}")
                .build().toByteArray();

        CloudEvent event = ProtobufEventReader.readEvent(body);

        assertThat(event.getId()).isEqualTo("p-1");
        assertThat(event.getSource()).isEqualTo(URI.create("/tests/proto"));
        assertThat(event.getType()).isEqualTo("dev.floe.test");
        assertThat(event.getSubject()).isEqualTo("café");
        assertThat(event.getTime()).isEqualTo(OffsetDateTime.parse("2026-01-01T00:00:00.5Z"));
        assertThat(event.getDataSchema()).isEqualTo(URI.create("https://example.com/s.json"));
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(event.getExtension("traceparent")).isEqualTo("00-abc");
        assertThat(event.getExtension("count")).isEqualTo(-5);
        assertThat(event.getExtension("final")).isEqualTo(true);
        assertThat(event.getExtension("blob")).isEqualTo("AAEC");
        assertThat(event.getExtension("ref")).isEqualTo("../x");
        // JSON text data lands where the JSON format's data does: as JSON text, not bytes
        assertThat(event.getData()).isEqualTo(new JsonEventData("{\"celsius\": 21.5}"));
    }

    @Test
    void dataLandsAsTheJsonFormatsDoes() {
        CloudEvent text = ProtobufEventReader.readEvent(proto("t")
                .putAttributes("datacontenttype", string("text/plain")).setTextData("héllo").build().toByteArray());
        assertThat(text.getData()).isEqualTo(BytesCloudEventData.wrap("héllo".getBytes(StandardCharsets.UTF_8)));

        // without a datacontenttype text_data says nothing about being JSON (unlike JSON's data): bytes, as in binary mode
        CloudEvent untyped = ProtobufEventReader.readEvent(proto("u").setTextData("{not json").build().toByteArray());
        assertThat(untyped.getData()).isInstanceOf(BytesCloudEventData.class);

        // binary_data is bytes whatever the media type, as data_base64 is
        CloudEvent binary = ProtobufEventReader.readEvent(proto("b")
                .putAttributes("datacontenttype", string("application/json"))
                .setBinaryData(ByteString.copyFromUtf8("{\"a\":1}")).build().toByteArray());
        assertThat(binary.getData()).isEqualTo(BytesCloudEventData.wrap("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));

        CloudEvent none = ProtobufEventReader.readEvent(proto("n").build().toByteArray());
        assertThat(none.getData()).isNull();
    }

    @Test
    void protoDataKeepsItsTypeUrl() throws Exception {
        Timestamp message = Timestamp.newBuilder().setSeconds(42).build();
        CloudEvent event = ProtobufEventReader.readEvent(proto("a")
                .putAttributes("datacontenttype", string("application/protobuf"))
                .setProtoData(Any.pack(message)).build().toByteArray());
        Any any = Any.parseFrom(event.getData().toBytes());
        assertThat(any.getTypeUrl()).isEqualTo("type.googleapis.com/google.protobuf.Timestamp");
        assertThat(any.unpack(Timestamp.class)).isEqualTo(message);
    }

    @Test
    void anEventTheSdkWroteReadsBackEqual() {
        CloudEvent sent = CloudEventBuilder.v1().withId("sdk-1").withSource(URI.create("https://example.com/x"))
                .withType("dev.floe.sdk").withSubject("s").withTime(OffsetDateTime.parse("2026-11-22T10:00:00Z"))
                .withDataContentType("application/octet-stream").withExtension("ext", "v")
                .withData(new byte[]{9, 8, 7}).build();
        CloudEvent read = ProtobufEventReader.readEvent(new ProtobufFormat().serialize(sent));
        assertThat(read).isEqualTo(sent);
    }

    @Test
    void everyViolationIsListedByItsAttributeName() {
        byte[] body = io.cloudevents.v1.proto.CloudEvent.newBuilder().setId("x").setSource("not a uri")
                .putAttributes("time", CloudEventAttributeValue.newBuilder().setCeInteger(5).build())
                .putAttributes("subject", string(""))
                .putAttributes("Bad-Name", string("v"))
                .putAttributes("id", string("again"))
                .build().toByteArray();
        assertThat(violations(() -> ProtobufEventReader.readEvent(body))).extracting(Violation::attribute)
                .containsExactlyInAnyOrder("specversion", "type", "source", "time", "subject", "Bad-Name", "id");
    }

    @Test
    void jsonTextDataMustBeJson() {
        byte[] body = proto("j").putAttributes("datacontenttype", string("application/cloudevents-ish+json"))
                .setTextData("{\"a\":").build().toByteArray();
        assertThat(violations(() -> ProtobufEventReader.readEvent(body))).extracting(Violation::attribute)
                .containsExactly("text_data");
    }

    @Test
    void outOfRangeTimestampsAreRefused() {
        byte[] body = proto("ts").putAttributes("time", CloudEventAttributeValue.newBuilder()
                .setCeTimestamp(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE / 2)).build()).build().toByteArray();
        assertThat(violations(() -> ProtobufEventReader.readEvent(body))).extracting(Violation::attribute)
                .containsExactly("time");
    }

    @Test
    void unknownFieldsAndBadBytesAreRefused() {
        byte[] unknown = proto("u").setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build().toByteArray();
        assertThat(violations(() -> ProtobufEventReader.readEvent(unknown))).singleElement()
                .satisfies(v -> assertThat(v.reason()).contains("99"));
        assertThatThrownBy(() -> ProtobufEventReader.readEvent(new byte[]{(byte) 0xff, 0x01}))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("not a Protobuf CloudEvent");
        assertThatThrownBy(() -> ProtobufEventReader.readEvent(new byte[0]))
                .isInstanceOf(InvalidCloudEventException.class).hasMessageContaining("empty");
    }

    @Test
    void theLimitsOfJsonEventsHold() {
        CloudEventLimits limits = new CloudEventLimits(16, 1, 1000, 10, 8, 100, 10, 10, 1000);
        byte[] longSubject = proto("l").putAttributes("subject", string("x".repeat(17))).build().toByteArray();
        assertThatThrownBy(() -> ProtobufEventReader.readEvent(longSubject, limits))
                .isInstanceOf(EventLimitExceededException.class).hasMessageContaining("maxAttributeBytes");
        byte[] extensions = proto("e").putAttributes("a", string("1")).putAttributes("b", string("2")).build()
                .toByteArray();
        assertThatThrownBy(() -> ProtobufEventReader.readEvent(extensions, limits))
                .isInstanceOf(EventLimitExceededException.class).hasMessageContaining("maxExtensions");
    }

    @Test
    void aBatchIsAllOrNothing() throws Exception {
        assertThat(ProtobufEventReader.readBatch(batch(proto("1").build(), proto("2").build())))
                .extracting(CloudEvent::getId).containsExactly("1", "2");
        assertThat(ProtobufEventReader.readBatch(new byte[0])).isEmpty();
        byte[] bad = batch(proto("1").build(), proto("2").setType("").build(), proto("3").setSource("").build());
        assertThat(violations(() -> ProtobufEventReader.readBatch(bad))).extracting(Violation::attribute)
                .containsExactly("/1/type", "/2/source");
        byte[] notABatch = proto("1").build().toByteArray(); // a lone event: its field 1 is a string, not an event
        assertThatThrownBy(() -> ProtobufEventReader.readBatch(notABatch))
                .isInstanceOf(InvalidCloudEventException.class);
    }

    private static Message message(byte[] body, String contentTypeHeader, String contentType) {
        Message m = new DefaultExchange(new DefaultCamelContext()).getIn();
        m.setHeader(contentTypeHeader, contentType);
        m.setBody(body);
        return m;
    }

    @Test
    void everyBindingReadsTheProtobufFormat() throws Exception {
        byte[] event = proto("m").build().toByteArray();
        assertThat(CloudEventMessages.read(message(event, "Content-Type", "application/cloudevents+protobuf"),
                BinaryModeReader.Binding.HTTP)).extracting(CloudEvent::getId).containsExactly("m");
        assertThat(CloudEventMessages.read(message(event, "content-type", "application/cloudevents+protobuf"),
                BinaryModeReader.Binding.KAFKA)).extracting(CloudEvent::getId).containsExactly("m");
        assertThat(CloudEventMessages.read(message(event, "Content-Type", "Application/CloudEvents+Protobuf; x=y"),
                BinaryModeReader.Binding.AMQP)).extracting(CloudEvent::getId).containsExactly("m");
        byte[] batch = batch(proto("b1").build(), proto("b2").build());
        assertThat(CloudEventMessages.read(message(batch, "Content-Type", "application/cloudevents-batch+protobuf"),
                BinaryModeReader.Binding.HTTP)).hasSize(2);
        assertThatThrownBy(() -> CloudEventMessages.read(
                message(batch, "content-type", "application/cloudevents-batch+protobuf"),
                BinaryModeReader.Binding.KAFKA))
                .isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("Kafka protocol binding");
    }
}
