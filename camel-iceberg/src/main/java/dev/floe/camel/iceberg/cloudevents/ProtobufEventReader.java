package dev.floe.camel.iceberg.cloudevents;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.WireFormat;
import dev.floe.camel.iceberg.JsonEventData;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue;

/**
 * Reads the CloudEvents Protobuf event format: one {@code io.cloudevents.v1.CloudEvent}, or a
 * {@code io.cloudevents.v1.CloudEventBatch} (its events in field 1).
 * <p>
 * The SDK's generated message does the wire decoding; the attributes then go through {@link EventAttributes} as the
 * JSON format's do, so both formats obey the same rules, limits and violation names. Data lands as JSON's does:
 * {@code text_data} whose datacontenttype is JSON in the data column (checked like JSON data in binary mode), any other
 * {@code text_data} and all {@code binary_data} as bytes, and {@code proto_data} as the bytes of its
 * {@code google.protobuf.Any} (type URL and message, what the SDK hands out).
 */
public final class ProtobufEventReader {

    private static final int BATCH_EVENTS_FIELD = 1;

    private ProtobufEventReader() {
    }

    public static CloudEvent readEvent(byte[] body) {
        return readEvent(body, CloudEventLimits.DEFAULTS);
    }

    /**
     * @throws InvalidCloudEventException listing every violation, an {@link EventLimitExceededException} when over a
     *                                    cap
     */
    public static CloudEvent readEvent(byte[] body, CloudEventLimits limits) {
        if (body == null || body.length == 0) {
            // proto3 would read it as an event with every field unset: say what really happened
            throw new InvalidCloudEventException("/", "the body is empty");
        }
        List<Violation> violations = new ArrayList<>();
        CloudEvent event = event(parse(body, "/"), "", violations, limits);
        if (!violations.isEmpty()) {
            throw InvalidCloudEventException.of(violations);
        }
        return event;
    }

    public static List<CloudEvent> readBatch(byte[] body) {
        return readBatch(body, CloudEventLimits.DEFAULTS);
    }

    /** All events of the batch, or an exception listing every violation: a batch is all-or-nothing. */
    public static List<CloudEvent> readBatch(byte[] body, CloudEventLimits limits) {
        return readBatch(body, limits, 0);
    }

    /**
     * As {@link #readBatch(byte[], CloudEventLimits)}, for a batch cut from a longer sequence (a burst of a gRPC
     * stream): violations name each event by its position in that sequence, the first event's being {@code first}.
     */
    public static List<CloudEvent> readBatch(byte[] body, CloudEventLimits limits, int first) {
        List<Violation> violations = new ArrayList<>();
        List<CloudEvent> batch = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(body == null ? new byte[0] : body);
        try {
            for (int i = 0; !in.isAtEnd(); i++) {
                int tag = in.readTag();
                if (WireFormat.getTagFieldNumber(tag) != BATCH_EVENTS_FIELD
                        || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    throw new InvalidCloudEventException("/", "a CloudEventBatch holds only events (field "
                            + BATCH_EVENTS_FIELD + "), not field " + WireFormat.getTagFieldNumber(tag));
                }
                String where = "/" + (first + i) + "/";
                batch.add(event(parse(in.readByteArray(), where), where, violations, limits));
                if (violations.size() >= InvalidCloudEventException.MAX_LISTED) {
                    violations
                            .add(new Violation("/",
                                    "the batch was not checked past event " + (first + i) + ": fix these first"));
                    break;
                }
            }
        } catch (IOException e) {
            throw new InvalidCloudEventException("/", "the body is not a Protobuf CloudEventBatch: " + e.getMessage());
        }
        if (!violations.isEmpty()) {
            throw InvalidCloudEventException.of(violations);
        }
        return batch;
    }

    private static io.cloudevents.v1.proto.CloudEvent parse(byte[] bytes, String where) {
        try {
            return io.cloudevents.v1.proto.CloudEvent.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidCloudEventException(where, "not a Protobuf CloudEvent: " + e.getMessage());
        }
    }

    /**
     * Checks one decoded event and builds the canonical one.
     *
     * @param where prefix for violation locations, "" for a single event or "/3/" inside a batch
     * @return the event, or null when it broke a rule (then {@code violations} says which)
     */
    static CloudEvent event(io.cloudevents.v1.proto.CloudEvent proto, String where, List<Violation> violations,
            CloudEventLimits limits) {
        if (!proto.getUnknownFields().asMap().isEmpty()) {
            // a field of a newer format version would otherwise be dropped without a word
            violations.add(new Violation(where.isEmpty() ? "/" : where,
                    "unknown CloudEvent field(s) " + proto.getUnknownFields().asMap().keySet()));
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        // proto3 cannot tell an empty string from an unset one: both are missing
        putIfSet(attributes, "specversion", proto.getSpecVersion());
        putIfSet(attributes, "id", proto.getId());
        putIfSet(attributes, "source", proto.getSource());
        putIfSet(attributes, "type", proto.getType());
        for (Map.Entry<String, CloudEventAttributeValue> e : proto.getAttributesMap().entrySet()) {
            attribute(e.getKey(), e.getValue(), attributes, where, violations);
        }
        CloudEventData data = data(proto, attributes, where, violations, limits);
        return EventAttributes.build(attributes, data, where, violations, limits);
    }

    private static void putIfSet(Map<String, Object> attributes, String name, String value) {
        if (!value.isEmpty()) {
            attributes.put(name, value);
        }
    }

    private static void attribute(String name, CloudEventAttributeValue value, Map<String, Object> attributes,
            String where, List<Violation> violations) {
        switch (name) {
            case "specversion", "id", "source", "type" -> {
                violations.add(new Violation(where + name, "is a field of the CloudEvent message, not an entry of "
                        + "its attributes"));
                return;
            }
            default -> {
            }
        }
        boolean context = EventAttributes.isContextAttribute(name);
        switch (value.getAttrCase()) {
            case CE_STRING -> attributes.put(name, value.getCeString());
            case CE_URI -> attributes.put(name, value.getCeUri());
            case CE_URI_REF -> attributes.put(name, value.getCeUriRef());
            case CE_TIMESTAMP -> {
                if (context && !name.equals("time")) {
                    violations.add(new Violation(where + name, "must be a string, not a timestamp"));
                    return;
                }
                String time = rfc3339(value.getCeTimestamp());
                if (time == null) {
                    violations.add(new Violation(where + EventAttributes.clip(name),
                            "the timestamp is out of range: " + value.getCeTimestamp().getSeconds() + "s "
                                    + value.getCeTimestamp().getNanos() + "ns"));
                    return;
                }
                attributes.put(name, time);
            }
            case CE_BOOLEAN, CE_INTEGER, CE_BYTES -> {
                if (context) {
                    violations.add(new Violation(where + name, "must be a string"
                            + (name.equals("time") ? " or a timestamp" : "") + ", not "
                            + value.getAttrCase().name().toLowerCase(Locale.ROOT)));
                    return;
                }
                switch (value.getAttrCase()) {
                    case CE_BOOLEAN -> attributes.put(name, value.getCeBoolean());
                    case CE_INTEGER -> attributes.put(name, value.getCeInteger());
                    // Binary's canonical string, as the AMQP binding stores it
                    default ->
                        attributes.put(name, Base64.getEncoder().encodeToString(value.getCeBytes().toByteArray()));
                }
            }
            case ATTR_NOT_SET -> {
                // no value: unset, as null is in JSON
            }
        }
    }

    /** The timestamp in RFC 3339 with seconds always, or null outside the range Protobuf's Timestamp allows. */
    private static String rfc3339(Timestamp timestamp) {
        if (timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
            return null;
        }
        try {
            Instant instant = Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
            String text = DateTimeFormatter.ISO_INSTANT.format(instant);
            return text.startsWith("+") || text.startsWith("-") ? null : text; // years past 9999 or before 0000
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static CloudEventData data(io.cloudevents.v1.proto.CloudEvent proto, Map<String, Object> attributes,
            String where, List<Violation> violations, CloudEventLimits limits) {
        switch (proto.getDataCase()) {
            case BINARY_DATA :
                return BytesCloudEventData.wrap(proto.getBinaryData().toByteArray());
            case TEXT_DATA :
                Object contentType = attributes.get("datacontenttype");
                byte[] text = proto.getTextDataBytes().toByteArray();
                if (contentType != null && JsonEventData.isJsonMediaType(contentType.toString())) {
                    try {
                        return JsonEventReader.jsonData(text, where + "text_data", limits);
                    } catch (InvalidCloudEventException e) {
                        violations.addAll(e.violations());
                        return null;
                    }
                }
                return BytesCloudEventData.wrap(text); // Protobuf checked that it is UTF-8
            case PROTO_DATA :
                return BytesCloudEventData.wrap(proto.getProtoData().toByteArray());
            default :
                return null;
        }
    }
}
