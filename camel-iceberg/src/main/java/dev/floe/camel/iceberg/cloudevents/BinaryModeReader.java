package dev.floe.camel.iceberg.cloudevents;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.floe.camel.iceberg.JsonEventData;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.data.BytesCloudEventData;

/**
 * Reads a binary-mode CloudEvent, whatever the protocol: the attributes are headers (or properties) named with a
 * prefix, the media type is the message's content type, the body is the data.
 */
public final class BinaryModeReader {

    /**
     * How a protocol binding names and encodes attribute headers, and whether it has a batched mode (only HTTP's
     * does: a Kafka record or an AMQP message holds one event).
     */
    public record Binding(String protocol, List<String> prefixes, boolean percentEncoded, boolean bytesAreUtf8,
            boolean batchedMode) {

        /** HTTP: {@code ce-} headers, percent-encoded values (HTTP binding 3.1.3). */
        public static final Binding HTTP = new Binding("HTTP", List.of("ce-"), true, false, true);
        /** Kafka: {@code ce_} headers; header values are bytes holding UTF-8 strings (Kafka binding 3.2.3). */
        public static final Binding KAFKA = new Binding("Kafka", List.of("ce_"), false, true, false);
        /**
         * AMQP: {@code cloudEvents:} application properties, or {@code cloudEvents_} as JMS clients must write; a
         * binary value is an attribute of type Binary (base64 as its canonical string).
         */
        public static final Binding AMQP = new Binding("AMQP", List.of("cloudEvents:", "cloudEvents_"), false, false,
                false);

        String attributeName(String header) {
            for (String prefix : prefixes) {
                if (header.regionMatches(true, 0, prefix, 0, prefix.length())) {
                    String name = header.substring(prefix.length());
                    return hasUpperCase(name) ? name.toLowerCase(Locale.ROOT) : name;
                }
            }
            return null;
        }

        /** Attribute names are lower case on the wire nearly always; lower-casing them anyway was a sixth of a binary-mode read. */
        private static boolean hasUpperCase(String name) {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c >= 'A' && c <= 'Z' || c > 0x7f) {
                    return true;
                }
            }
            return false;
        }
    }

    // always with seconds: OffsetDateTime.toString() drops ":00", which RFC 3339 requires
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private BinaryModeReader() {
    }

    /** True when any header carries a CloudEvents attribute for this binding. */
    public static boolean hasAttributes(Map<String, Object> headers, Binding binding) {
        for (String name : headers.keySet()) {
            if (binding.attributeName(name) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * @throws InvalidCloudEventException listing every violation
     */
    public static CloudEvent read(Map<String, Object> headers, Binding binding, String contentType, byte[] body) {
        return read(headers, binding, contentType, body, CloudEventLimits.DEFAULTS);
    }

    /**
     * @throws InvalidCloudEventException listing every violation, an {@link EventLimitExceededException} when over a
     *                                    cap
     */
    public static CloudEvent read(Map<String, Object> headers, Binding binding, String contentType, byte[] body,
            CloudEventLimits limits) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<Violation> violations = new ArrayList<>();
        for (Map.Entry<String, Object> header : headers.entrySet()) {
            String name = binding.attributeName(header.getKey());
            if (name == null) {
                continue;
            }
            Object value = header.getValue();
            if (value instanceof List<?> values) {
                if (values.size() != 1) {
                    violations.add(new Violation(name, "header " + header.getKey() + " is repeated"));
                    continue;
                }
                value = values.get(0);
            }
            if (value == null) {
                continue; // a Kafka header or AMQP property without a value: unset, as null is in JSON
            }
            try {
                String text = value instanceof byte[] bytes && binding.bytesAreUtf8() ? utf8(bytes) : canonical(value);
                attributes.put(name, binding.percentEncoded() ? HeaderValueDecoder.decode(text) : text);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(name, "header " + header.getKey() + ": " + e.getMessage()));
            }
        }
        if (attributes.containsKey("datacontenttype")) {
            violations.add(new Violation("datacontenttype",
                    "binary mode carries it in the content type, not as an attribute header"));
        }
        if (contentType != null) {
            attributes.put("datacontenttype", contentType);
        }
        CloudEventData data = null;
        if (body != null && body.length > 0) {
            data = JsonEventData.isJsonMediaType(contentType)
                    ? JsonEventReader.jsonData(body, "data", limits)
                    : BytesCloudEventData.wrap(body);
        }
        CloudEvent event = EventAttributes.build(attributes, data, "", violations, limits);
        if (!violations.isEmpty()) {
            throw InvalidCloudEventException.of(violations);
        }
        return event;
    }

    private static String utf8(byte[] bytes) {
        if (isAscii(bytes)) {
            return new String(bytes, StandardCharsets.US_ASCII); // nearly every header: no decoder needed
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the value is not UTF-8");
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Protocols with a type system (AMQP) may send native values; the spec maps each to its canonical string. */
    private static String canonical(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Date date) {
            return RFC3339.format(date.toInstant().atOffset(ZoneOffset.UTC));
        }
        if (value instanceof Instant instant) {
            return RFC3339.format(instant.atOffset(ZoneOffset.UTC));
        }
        if (value instanceof OffsetDateTime time) {
            return RFC3339.format(time);
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof URI || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof CharSequence) {
            return value.toString();
        }
        throw new IllegalArgumentException("unsupported value type " + value.getClass().getSimpleName());
    }
}
