package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.StringValue;
import io.cloudevents.v1.proto.CloudEvent;
import io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue;
import org.apache.iceberg.data.Record;

/**
 * CloudEvents in the Protobuf event format ({@code application/cloudevents+protobuf}), built with the CloudEvents SDK's
 * generated message as a sender would, and the row each one must become: for the broker sources' end-to-end tests.
 */
public final class ProtobufEvents {

    public static final String MEDIA_TYPE = "application/cloudevents+protobuf";
    public static final String BATCH_MEDIA_TYPE = "application/cloudevents-batch+protobuf";

    private ProtobufEvents() {
    }

    public static CloudEvent.Builder event(String id, String source) {
        return CloudEvent.newBuilder().setSpecVersion("1.0").setId(id).setSource(source).setType("com.example.proto");
    }

    /** Every context attribute, in each of the format's attribute types, and JSON data as text. */
    public static CloudEvent everyAttribute(String id, String source) {
        return dev.floe.testing.ProtobufEvents.withOptionalAttributes(event(id, source))
                .putAttributes("tenant", string("acme"))
                .putAttributes("attempt", CloudEventAttributeValue.newBuilder().setCeInteger(2).build())
                .putAttributes("urgent", CloudEventAttributeValue.newBuilder().setCeBoolean(true).build())
                .setTextData("{\"amount\":12.5}").build();
    }

    /** The row of {@link #everyAttribute}: every column. */
    public static void assertEveryColumn(Record row, String id, String source) {
        assertThat(row.getField("id")).isEqualTo(id);
        assertThat(row.getField("source")).isEqualTo(source);
        assertThat(row.getField("specversion")).isEqualTo("1.0");
        assertThat(row.getField("type")).isEqualTo("com.example.proto");
        assertThat(row.getField("subject")).isEqualTo("order-9");
        assertThat(row.getField("time")).isEqualTo(OffsetDateTime.parse("2026-01-01T00:00:00.25Z"));
        assertThat(row.getField("datacontenttype")).isEqualTo("application/json");
        assertThat(row.getField("dataschema")).isEqualTo("https://example.com/order.json");
        assertThat(row.getField("extensions")).isEqualTo(Map.of("tenant", "acme", "attempt", "2", "urgent", "true"));
        assertThat(row.getField("data")).isEqualTo("{\"amount\":12.5}");
        assertThat(row.getField("data_bytes")).isNull();
        assertThat(row.getField("ingest_time")).isNotNull();
    }

    /** Binary data, text data that is not JSON, and a google.protobuf.Any: each lands in data_bytes. */
    public static CloudEvent binaryData(String id, String source) {
        return event(id, source).putAttributes("datacontenttype", string("application/octet-stream"))
                .setBinaryData(ByteString.copyFrom(new byte[]{0, 1, 2, (byte) 0xff})).build();
    }

    public static CloudEvent plainText(String id, String source) {
        return event(id, source).putAttributes("datacontenttype", string("text/plain")).setTextData("héllo").build();
    }

    public static CloudEvent protoData(String id, String source) {
        return event(id, source).setProtoData(Any.pack(StringValue.of("packed"))).build();
    }

    public static void assertDataBytes(Record binary, Record text, Record proto) {
        assertThat(binary.getField("data")).isNull();
        assertThat(binary.getField("data_bytes")).isEqualTo(ByteBuffer.wrap(new byte[]{0, 1, 2, (byte) 0xff}));
        assertThat(binary.getField("datacontenttype")).isEqualTo("application/octet-stream");
        assertThat(text.getField("data")).isNull();
        assertThat(text.getField("data_bytes")).isEqualTo(ByteBuffer.wrap("héllo".getBytes(StandardCharsets.UTF_8)));
        assertThat(proto.getField("data")).isNull();
        assertThat(proto.getField("data_bytes"))
                .isEqualTo(ByteBuffer.wrap(Any.pack(StringValue.of("packed")).toByteArray()));
    }

    /** Bytes that are no Protobuf message at all: a length-delimited field cut short, holding the marker. */
    public static byte[] notProtobuf(String marker) {
        byte[] text = marker.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 2];
        bytes[0] = 0x0a;
        bytes[1] = 0x7f; // 127 bytes announced, fewer follow
        System.arraycopy(text, 0, bytes, 2, text.length);
        return bytes;
    }

    /** A well-formed message that is not a valid CloudEvent: no type, and a specversion that is not 1.0. */
    public static CloudEvent invalid(String id, String source) {
        return CloudEvent.newBuilder().setSpecVersion("0.3").setId(id).setSource(source).build();
    }

    static CloudEventAttributeValue string(String value) {
        return dev.floe.testing.ProtobufEvents.string(value);
    }
}
