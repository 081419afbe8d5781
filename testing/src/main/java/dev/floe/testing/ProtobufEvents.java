package dev.floe.testing;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.google.protobuf.Timestamp;
import io.cloudevents.v1.proto.CloudEvent;
import io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue;

/** CloudEvents in the Protobuf format for the tests of the gRPC source, and what their rows must hold. */
public final class ProtobufEvents {

    private ProtobufEvents() {
    }

    public static CloudEvent.Builder event(String id, String source, String type) {
        return CloudEvent.newBuilder().setSpecVersion("1.0").setId(id).setSource(source).setType(type);
    }

    /** prefix0 … prefix(n-1), without data. */
    public static List<CloudEvent> numbered(String prefix, int n, String source, String type) {
        return IntStream.range(0, n).mapToObj(i -> event(prefix + i, source, type).build()).toList();
    }

    public static CloudEventAttributeValue string(String value) {
        return CloudEventAttributeValue.newBuilder().setCeString(value).build();
    }

    /** subject, time, dataschema and a JSON datacontenttype, each in its own Protobuf attribute type. */
    public static CloudEvent.Builder withOptionalAttributes(CloudEvent.Builder event) {
        return event.putAttributes("subject", string("order-9"))
                .putAttributes("time", CloudEventAttributeValue.newBuilder()
                        .setCeTimestamp(Timestamp.newBuilder().setSeconds(1_767_225_600L).setNanos(250_000_000))
                        .build())
                .putAttributes("dataschema",
                        CloudEventAttributeValue.newBuilder().setCeUri("https://example.com/order.json").build())
                .putAttributes("datacontenttype", string("application/json"));
    }

    /**
     * The event with every optional attribute the default table has a column for (each in its Protobuf type), two
     * extensions and JSON data; {@link #everyAttributeColumns()} is its row.
     */
    public static CloudEvent.Builder withEveryAttribute(CloudEvent.Builder event) {
        return withOptionalAttributes(event)
                .putAttributes("traceparent", string("00-abc"))
                .putAttributes("attempt", CloudEventAttributeValue.newBuilder().setCeInteger(2).build())
                .setTextData("{\"amount\":12.5}");
    }

    /**
     * The columns of an event {@link #withEveryAttribute}, as Iceberg's generic reader returns them, apart from those
     * the caller chose (id, source, type) and ingest_time.
     */
    public static Map<String, Object> everyAttributeColumns() {
        Map<String, Object> columns = new HashMap<>();
        columns.put("specversion", "1.0");
        columns.put("subject", "order-9");
        columns.put("time", OffsetDateTime.parse("2026-01-01T00:00:00.25Z"));
        columns.put("datacontenttype", "application/json");
        columns.put("dataschema", "https://example.com/order.json");
        columns.put("extensions", Map.of("traceparent", "00-abc", "attempt", "2"));
        columns.put("data", "{\"amount\":12.5}");
        columns.put("data_bytes", null);
        return columns;
    }
}
