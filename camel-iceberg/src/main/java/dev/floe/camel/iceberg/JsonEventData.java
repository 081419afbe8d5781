package dev.floe.camel.iceberg;

import java.nio.charset.StandardCharsets;

import dev.floe.camel.iceberg.cloudevents.CloudEventMessages;
import io.cloudevents.CloudEventData;

/**
 * CloudEvent data known to be JSON text, for example the {@code data} member of a structured-mode event that has no
 * datacontenttype. The default layout stores it in the {@code data} text column.
 */
public final class JsonEventData implements CloudEventData {

    private final String json;

    public JsonEventData(String json) {
        this.json = json;
    }

    /** True for media types whose payload is JSON: application/json, text/json and any +json suffix. */
    public static boolean isJsonMediaType(String contentType) {
        String base = CloudEventMessages.mediaType(contentType);
        return base.equals("application/json") || base.equals("text/json") || base.endsWith("+json");
    }

    public String json() {
        return json;
    }

    @Override
    public byte[] toBytes() {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonEventData other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
