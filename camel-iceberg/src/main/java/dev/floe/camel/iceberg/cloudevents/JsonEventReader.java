package dev.floe.camel.iceberg.cloudevents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private JsonEventReader() {
    }

    public static CloudEvent readEvent(byte[] body) {
        JsonNode node = parse(body);
        List<Violation> violations = new ArrayList<>();
        CloudEvent event = event(node, "", violations);
        if (!violations.isEmpty()) {
            throw new InvalidCloudEventException(violations);
        }
        return event;
    }

    /** All events of the batch, or an exception listing every violation: a batch is all-or-nothing. */
    public static List<CloudEvent> readBatch(byte[] body) {
        JsonNode node = parse(body);
        if (!node.isArray()) {
            throw new InvalidCloudEventException("/", "a batch must be a JSON array of events");
        }
        List<Violation> violations = new ArrayList<>();
        List<CloudEvent> events = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            events.add(event(node.get(i), "/" + i + "/", violations));
        }
        if (!violations.isEmpty()) {
            throw new InvalidCloudEventException(violations);
        }
        return events;
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidCloudEventException("/", "the body is empty");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidCloudEventException("/", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidCloudEventException("/", "the body could not be read: " + e.getMessage());
        }
    }

    /** Checks that JSON data in binary mode is well-formed; returns it as JSON text. */
    public static JsonEventData jsonData(byte[] body, String where) {
        try (JsonParser parser = MAPPER.createParser(body)) {
            while (parser.nextToken() != null) {
                // tokenising is enough to prove well-formedness
            }
            return new JsonEventData(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidCloudEventException(where,
                    "datacontenttype says JSON but the data is not valid JSON: "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static CloudEvent event(JsonNode node, String where, List<Violation> violations) {
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
        CloudEventData data = data(node, attributes, where, violations);
        return EventAttributes.build(attributes, data, where, violations);
    }

    private static CloudEventData data(JsonNode node, Map<String, Object> attributes, String where,
            List<Violation> violations) {
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
