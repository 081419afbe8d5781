package dev.floe.camel.iceberg;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.ConcurrentHashMap;

import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;

/**
 * The JSON data of the events of one commit, parsed once: schema inference, required-field checks, row conversion and
 * the upsert op all read it. Not thread-safe; one per commit or validation.
 */
final class EventJson {

    // for converting trees only; parsing goes through the limits' mapper
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<CloudEventLimits, ObjectMapper> MAPPERS = new ConcurrentHashMap<>();

    private final boolean changeEvents;
    // event data is sender input: parsed within the same Jackson limits as the readers
    private final ObjectMapper mapper;
    private final Map<CloudEvent, JsonNode> objects = new IdentityHashMap<>();

    /** @param changeEvents unwrap Debezium-style change events (upsert mode) */
    EventJson(boolean changeEvents, CloudEventLimits limits) {
        this.changeEvents = changeEvents;
        this.mapper = MAPPERS.computeIfAbsent(limits, l -> {
            ObjectMapper mapper = new ObjectMapper();
            mapper.getFactory().setStreamReadConstraints(l.streamReadConstraints());
            return mapper;
        });
    }

    /** The event's data as a JSON object, or null when it is not JSON or not an object. */
    JsonNode object(CloudEvent event) {
        if (objects.containsKey(event)) {
            return objects.get(event);
        }
        JsonNode node = parse(event);
        objects.put(event, node);
        return node;
    }

    /** The row's typed data: the data object, or for a change event its after (before for a delete) image. */
    JsonNode payload(CloudEvent event) {
        JsonNode data = object(event);
        if (changeEvents && isChangeEvent(data)) {
            JsonNode image = data.get("op").asText().equals("d") ? data.get("before") : data.get("after");
            return image != null && image.isObject() ? image : null;
        }
        return data;
    }

    /**
     * True when the event deletes its row: extension op=d, or a change event with op d. Otherwise c, r, u or no op
     * at all upsert it.
     *
     * @throws IllegalArgumentException for any other op
     */
    boolean isDelete(CloudEvent event) {
        Object op = event.getExtension("op");
        if (op == null) {
            JsonNode data = object(event);
            op = isChangeEvent(data) ? data.get("op").asText() : null;
        }
        if (op == null) {
            return false;
        }
        return switch (op.toString()) {
            case "c", "r", "u" -> false;
            case "d" -> true;
            default -> throw new IllegalArgumentException("unknown op '" + op + "': expected c, r, u or d");
        };
    }

    /** @throws IncompatibleSchemaException naming the first event whose op is not c, r, u or d */
    static void requireKnownOps(List<?> rows, CloudEventLimits limits) {
        EventJson json = new EventJson(true, limits);
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) instanceof CloudEvent event) {
                try {
                    json.isDelete(event);
                } catch (IllegalArgumentException e) {
                    throw new IncompatibleSchemaException("event " + i + " (id " + event.getId() + "): "
                            + e.getMessage());
                }
            }
        }
    }

    /** The JSON object as the plain Maps and Lists the row converter walks. */
    static Map<?, ?> toMap(JsonNode object) {
        return JSON.convertValue(object, Map.class);
    }

    private static boolean isChangeEvent(JsonNode data) {
        return data != null && data.path("op").isTextual() && (data.has("after") || data.has("before"));
    }

    private JsonNode parse(CloudEvent event) {
        CloudEventData data = event.getData();
        if (data == null
                || !(data instanceof JsonEventData || JsonEventData.isJsonMediaType(event.getDataContentType()))) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(data.toBytes());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null; // not an object: it stays in the data column only
        }
    }
}
