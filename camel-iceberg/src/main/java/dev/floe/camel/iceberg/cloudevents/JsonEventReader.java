package dev.floe.camel.iceberg.cloudevents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.camel.iceberg.JsonEventData;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.data.BytesCloudEventData;

/**
 * Reads the CloudEvents JSON event format: one structured event, or a batch (a JSON array of them).
 * <p>
 * Parsed by hand over a Jackson tree instead of the SDK's JsonFormat so that every rule is checked with a precise
 * location ("/2/time") and so that JSON data stays JSON text for the table's data column.
 */
public final class JsonEventReader {

    // one mapper per set of limits; a process has one or two (the application's, the component's defaults)
    private static final Map<CloudEventLimits, ObjectMapper> MAPPERS = new ConcurrentHashMap<>();

    private JsonEventReader() {
    }

    public static CloudEvent readEvent(byte[] body) {
        return readEvent(body, CloudEventLimits.DEFAULTS);
    }

    public static CloudEvent readEvent(byte[] body, CloudEventLimits limits) {
        JsonNode node = parse(body, limits);
        List<Violation> violations = new ArrayList<>();
        CloudEvent event = event(node, "", violations, limits);
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
        JsonNode node = parse(body, limits);
        if (!node.isArray()) {
            throw new InvalidCloudEventException("/", "a batch must be a JSON array of events");
        }
        List<Violation> violations = new ArrayList<>();
        List<CloudEvent> events = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            events.add(event(node.get(i), "/" + i + "/", violations, limits));
            if (violations.size() >= InvalidCloudEventException.MAX_LISTED) {
                // a megabyte of [{},{},...] holds a million violations: the answer lists the first ones, not all
                violations.add(new Violation("/", "the batch was not checked past event " + i + ": fix these first"));
                break;
            }
        }
        if (!violations.isEmpty()) {
            throw InvalidCloudEventException.of(violations);
        }
        return events;
    }

    private static ObjectMapper mapper(CloudEventLimits limits) {
        return MAPPERS.computeIfAbsent(limits, CloudEventLimits::newMapper);
    }

    private static JsonNode parse(byte[] body, CloudEventLimits limits) {
        if (body == null || body.length == 0) {
            throw new InvalidCloudEventException("/", "the body is empty");
        }
        requireDocumentLength(body, "/", limits);
        try {
            JsonNode node = mapper(limits).readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new InvalidCloudEventException("/", "the body holds no JSON value");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw overLimit("/", e, limits);
        } catch (JsonProcessingException e) {
            throw new InvalidCloudEventException("/", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidCloudEventException("/", "the body could not be read: " + e.getMessage());
        }
    }

    /** Checks that JSON data in binary mode is well-formed; returns it as JSON text. */
    public static JsonEventData jsonData(byte[] body, String where) {
        return jsonData(body, where, CloudEventLimits.DEFAULTS);
    }

    /** Checks that JSON data in binary mode is well-formed and within the limits; returns it as JSON text. */
    public static JsonEventData jsonData(byte[] body, String where, CloudEventLimits limits) {
        requireDocumentLength(body, where, limits);
        try (JsonParser parser = mapper(limits).createParser(body)) {
            while (parser.nextToken() != null) {
                // tokenising is enough to prove well-formedness, and Jackson checks the limits as it goes
            }
            return new JsonEventData(new String(body, StandardCharsets.UTF_8));
        } catch (StreamConstraintsException e) {
            throw overLimit(where, e, limits);
        } catch (IOException e) {
            throw new InvalidCloudEventException(where,
                    "datacontenttype says JSON but the data is not valid JSON: "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Jackson checks the document length only when it reads a stream in chunks, so a byte array is measured here. */
    private static void requireDocumentLength(byte[] body, String where, CloudEventLimits limits) {
        if (body.length > limits.maxJsonDocumentLength()) {
            throw new EventLimitExceededException(where, "the JSON document has " + body.length
                    + " bytes, more than " + CloudEventLimits.named("maxJsonDocumentLength",
                            limits.maxJsonDocumentLength()));
        }
    }

    /** Names the limit behind one of Jackson's constraint errors (Jackson's own message names its getter). */
    private static EventLimitExceededException overLimit(String where, StreamConstraintsException e,
            CloudEventLimits limits) {
        String message = String.valueOf(e.getOriginalMessage());
        String limit;
        long value;
        if (message.contains("nesting depth")) {
            limit = "maxJsonDepth";
            value = limits.maxJsonDepth();
        } else if (message.contains("Number value length")) {
            limit = "maxJsonNumberLength";
            value = limits.maxJsonNumberLength();
        } else if (message.contains("Name length")) {
            limit = "maxJsonNameLength";
            value = limits.maxJsonNameLength();
        } else if (message.contains("String value length")) {
            limit = "maxJsonStringLength";
            value = limits.maxJsonStringLength();
        } else {
            limit = "maxJsonDocumentLength";
            value = limits.maxJsonDocumentLength();
        }
        return new EventLimitExceededException(where, "the JSON is over " + CloudEventLimits.named(limit, value)
                + ": " + message.lines().findFirst().orElse(""));
    }

    private static CloudEvent event(JsonNode node, String where, List<Violation> violations,
            CloudEventLimits limits) {
        if (node == null || !node.isObject()) {
            violations.add(new Violation(where.isEmpty() ? "/" : where, "an event must be a JSON object"));
            return null;
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals("data") || name.equals("data_base64") || value.isNull()) {
                continue; // null means unset
            }
            if (EventAttributes.isContextAttribute(name)) {
                if (!value.isTextual()) {
                    violations.add(new Violation(where + name, "must be a JSON string"));
                    continue;
                }
                attributes.put(name, value.textValue());
            } else if (value.isTextual()) {
                attributes.put(name, value.textValue());
            } else if (value.isBoolean()) {
                attributes.put(name, value.booleanValue());
            } else if (value.isIntegralNumber() && value.canConvertToInt()) {
                attributes.put(name, value.intValue());
            } else {
                violations.add(new Violation(where + EventAttributes.clip(name),
                        "extension values must be a string, a boolean or a 32-bit integer"));
            }
        }
        CloudEventData data = data(node, attributes, where, violations, limits);
        return EventAttributes.build(attributes, data, where, violations, limits);
    }

    private static CloudEventData data(JsonNode node, Map<String, Object> attributes, String where,
            List<Violation> violations, CloudEventLimits limits) {
        JsonNode data = node.get("data");
        JsonNode base64 = node.get("data_base64");
        boolean hasData = data != null && !data.isNull();
        boolean hasBase64 = base64 != null && !base64.isNull();
        if (hasData && hasBase64) {
            violations.add(new Violation(where + "data_base64", "an event must not have both data and data_base64"));
            return null;
        }
        if (hasBase64) {
            if (!base64.isTextual()) {
                violations.add(new Violation(where + "data_base64", "must be a base64 string"));
                return null;
            }
            int length = base64.textValue().length();
            if (length > limits.maxDataBase64Length()) {
                violations.add(Violation.limit(where + "data_base64", "has " + length + " characters, more than "
                        + CloudEventLimits.named("maxDataBase64Length", limits.maxDataBase64Length())));
                return null;
            }
            try {
                return BytesCloudEventData.wrap(Base64.getDecoder().decode(base64.textValue()));
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(where + "data_base64", "is not valid base64: " + e.getMessage()));
                return null;
            }
        }
        if (!hasData) {
            return null;
        }
        Object contentType = attributes.get("datacontenttype");
        if (contentType == null || JsonEventData.isJsonMediaType(contentType.toString())) {
            return new JsonEventData(data.toString());
        }
        // a non-JSON media type: a JSON string holds the payload itself
        String payload = data.isTextual() ? data.textValue() : data.toString();
        return BytesCloudEventData.wrap(payload.getBytes(StandardCharsets.UTF_8));
    }
}
