package dev.floe.app.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.floe.app.batch.EventBatchAggregation;
import dev.floe.app.cloudevents.EventAttributes;
import dev.floe.app.cloudevents.InvalidCloudEventException;
import dev.floe.app.cloudevents.JsonEventReader;
import dev.floe.app.cloudevents.UnsupportedFormatException;
import dev.floe.app.cloudevents.Violation;
import dev.floe.camel.iceberg.JsonEventData;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.data.BytesCloudEventData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The CloudEvents HTTP protocol binding (v1.0.2): binary, structured and batched modes. Replaces the body with the
 * request's events as a List of canonical CloudEvents, or throws with every violation found.
 */
@ApplicationScoped
@Named("httpCloudEventReader")
public class HttpCloudEventReader implements Processor {

    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getIn();
        String method = in.getHeader(Exchange.HTTP_METHOD, "POST", String.class);
        if (!method.equals("POST")) {
            throw new MethodNotAllowedException(method);
        }
        byte[] body = in.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        String mediaType = mediaType(contentType);
        List<CloudEvent> events;
        if (mediaType.equals(STRUCTURED)) {
            requireUtf8(contentType);
            events = List.of(JsonEventReader.readEvent(body));
        } else if (mediaType.equals(BATCH)) {
            requireUtf8(contentType);
            events = JsonEventReader.readBatch(body);
        } else if (mediaType.startsWith("application/cloudevents")) {
            throw new UnsupportedFormatException("event format '" + mediaType + "' is not supported: send "
                    + STRUCTURED + ", " + BATCH + " or binary mode");
        } else if (hasCloudEventHeaders(in)) {
            events = List.of(binary(in, contentType, body));
        } else {
            throw new UnsupportedFormatException("not a CloudEvent: send binary mode (ce-specversion, ce-id, ce-source,"
                    + " ce-type headers) or Content-Type " + STRUCTURED + " or " + BATCH);
        }
        exchange.setProperty(EventBatchAggregation.INPUT_BYTES, (long) body.length);
        in.setBody(events);
    }

    private static CloudEvent binary(Message in, String contentType, byte[] body) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<Violation> violations = new ArrayList<>();
        for (Map.Entry<String, Object> header : in.getHeaders().entrySet()) {
            String key = header.getKey().toLowerCase(Locale.ROOT);
            if (!key.startsWith("ce-")) {
                continue;
            }
            String name = key.substring(3);
            Object value = header.getValue();
            if (value instanceof List<?> values) {
                if (values.size() != 1) {
                    violations.add(new Violation(name, "header " + header.getKey() + " is repeated"));
                    continue;
                }
                value = values.get(0);
            }
            try {
                attributes.put(name, HeaderValueDecoder.decode(String.valueOf(value)));
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(name, "header " + header.getKey() + ": " + e.getMessage()));
            }
        }
        if (attributes.containsKey("datacontenttype")) {
            violations.add(
                    new Violation("datacontenttype", "binary mode carries it in Content-Type, not ce-datacontenttype"));
        }
        if (contentType != null) {
            attributes.put("datacontenttype", contentType);
        }
        CloudEventData data = null;
        if (body.length > 0) {
            data = JsonEventData.isJsonMediaType(contentType)
                    ? JsonEventReader.jsonData(body, "data")
                    : BytesCloudEventData.wrap(body);
        }
        CloudEvent event = EventAttributes.build(attributes, data, "", violations);
        if (!violations.isEmpty()) {
            throw new InvalidCloudEventException(violations);
        }
        return event;
    }

    private static boolean hasCloudEventHeaders(Message in) {
        for (String name : in.getHeaders().keySet()) {
            if (name.regionMatches(true, 0, "ce-", 0, 3)) {
                return true;
            }
        }
        return false;
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static void requireUtf8(String contentType) {
        String lower = contentType.toLowerCase(Locale.ROOT);
        int at = lower.indexOf("charset=");
        if (at >= 0) {
            String charset = lower.substring(at + 8).split(";")[0].trim().replace("\"", "");
            if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                throw new UnsupportedFormatException("charset '" + charset + "' is not supported: JSON must be UTF-8");
            }
        }
    }
}
