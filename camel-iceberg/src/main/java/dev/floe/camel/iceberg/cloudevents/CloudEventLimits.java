package dev.floe.camel.iceberg.cloudevents;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.floe.camel.iceberg.IcebergComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Component;
import org.apache.camel.Message;

/**
 * Caps on everything a sender controls in one CloudEvent: each attribute's size, the number of extensions, all
 * attributes together, {@code data_base64}, and the shape of JSON input (Jackson's {@link StreamReadConstraints}).
 * Sizes are UTF-8 bytes. A value over a cap is refused with an {@link EventLimitExceededException} naming the cap.
 *
 * @param maxAttributeBytes      each attribute value (id, source, type, subject, dataschema, datacontenttype, time and
 *                               every extension)
 * @param maxExtensions          extension attributes per event
 * @param maxAttributesBytes     all attribute names and values of one event together
 * @param maxDataBase64Length    characters of a {@code data_base64} member (about 4/3 of the bytes it holds)
 * @param maxJsonDepth           nesting of JSON objects and arrays
 * @param maxJsonStringLength    one JSON string value
 * @param maxJsonNumberLength    digits of one JSON number
 * @param maxJsonNameLength      one JSON member name
 * @param maxJsonDocumentLength  one JSON document (a structured event, a batch, or JSON data in binary mode)
 */
public record CloudEventLimits(int maxAttributeBytes, int maxExtensions, int maxAttributesBytes,
        int maxDataBase64Length, int maxJsonDepth, int maxJsonStringLength, int maxJsonNumberLength,
        int maxJsonNameLength, long maxJsonDocumentLength) {

    public static final int DEFAULT_MAX_ATTRIBUTE_BYTES = 2048;
    public static final int DEFAULT_MAX_EXTENSIONS = 32;
    public static final int DEFAULT_MAX_ATTRIBUTES_BYTES = 16384;
    /** base64 of 1 MiB, the default body size of every source */
    public static final int DEFAULT_MAX_DATA_BASE64_LENGTH = 1398104;
    public static final int DEFAULT_MAX_JSON_DEPTH = 64;
    public static final int DEFAULT_MAX_JSON_STRING_LENGTH = 2097152;
    public static final int DEFAULT_MAX_JSON_NUMBER_LENGTH = 100;
    public static final int DEFAULT_MAX_JSON_NAME_LENGTH = 256;
    public static final long DEFAULT_MAX_JSON_DOCUMENT_LENGTH = 16777216;

    /**
     * The longest text of an {@link OffsetDateTime} (ASCII): a signed nine-digit year, nanoseconds and an offset with
     * seconds, "+999999999-12-31T23:59:59.999999999+17:59:59".
     */
    private static final int MAX_TIME_TEXT = 44;

    public static final CloudEventLimits DEFAULTS = new CloudEventLimits(DEFAULT_MAX_ATTRIBUTE_BYTES,
            DEFAULT_MAX_EXTENSIONS, DEFAULT_MAX_ATTRIBUTES_BYTES, DEFAULT_MAX_DATA_BASE64_LENGTH,
            DEFAULT_MAX_JSON_DEPTH, DEFAULT_MAX_JSON_STRING_LENGTH, DEFAULT_MAX_JSON_NUMBER_LENGTH,
            DEFAULT_MAX_JSON_NAME_LENGTH, DEFAULT_MAX_JSON_DOCUMENT_LENGTH);

    public CloudEventLimits {
        if (maxAttributeBytes < 1 || maxExtensions < 0 || maxAttributesBytes < 1 || maxDataBase64Length < 0
                || maxJsonDepth < 1 || maxJsonStringLength < 1 || maxJsonNumberLength < 1 || maxJsonNameLength < 1
                || maxJsonDocumentLength < 1) {
            // not "+ this": the fields are not assigned yet in a compact constructor
            throw new IllegalArgumentException("CloudEvent limits must be positive (maxExtensions and "
                    + "maxDataBase64Length may be 0): " + List.of(maxAttributeBytes, maxExtensions, maxAttributesBytes,
                            maxDataBase64Length, maxJsonDepth, maxJsonStringLength, maxJsonNumberLength,
                            maxJsonNameLength, maxJsonDocumentLength));
        }
    }

    /**
     * The limits that apply in a Camel context: a {@code CloudEventLimits} bean in its registry (how the Floe
     * application sets them), else the options of its {@code iceberg} component, else the defaults.
     */
    public static CloudEventLimits of(CamelContext context) {
        if (context == null) {
            return DEFAULTS;
        }
        CloudEventLimits bound = context.getRegistry().findSingleByType(CloudEventLimits.class);
        if (bound != null) {
            return bound;
        }
        Component iceberg = context.hasComponent("iceberg");
        if (iceberg instanceof IcebergComponent component) {
            return component.getConfiguration().limits();
        }
        return DEFAULTS;
    }

    /** The limits of the context a message belongs to (see {@link #of(CamelContext)}). */
    static CloudEventLimits of(Message message) {
        if (message instanceof CamelContextAware aware && aware.getCamelContext() != null) {
            return of(aware.getCamelContext());
        }
        return message.getExchange() == null ? DEFAULTS : of(message.getExchange().getContext());
    }

    /** Jackson's read constraints for sender input: every parser of such input is built from these. */
    public StreamReadConstraints streamReadConstraints() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(maxJsonDepth)
                .maxStringLength(maxJsonStringLength)
                .maxNumberLength(maxJsonNumberLength)
                .maxNameLength(maxJsonNameLength)
                .maxDocumentLength(maxJsonDocumentLength)
                .build();
    }

    /**
     * Checks the attributes of one event against the caps; adds a violation per broken cap.
     *
     * @return true when every cap holds
     */
    boolean check(Map<String, Object> attributes, String where, List<Violation> violations) {
        if (surelyWithin(attributes)) {
            return true;
        }
        int before = violations.size();
        long total = 0;
        int extensions = 0;
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            String name = e.getKey();
            long nameBytes = utf8Length(name);
            long valueBytes = e.getValue() == null ? 0 : utf8Length(e.getValue().toString());
            total += nameBytes + valueBytes;
            if (!EventAttributes.isContextAttribute(name)) {
                extensions++;
            }
            if (valueBytes > maxAttributeBytes || nameBytes > maxAttributeBytes) {
                violations.add(Violation.limit(where + EventAttributes.clip(name), "the attribute has "
                        + Math.max(valueBytes, nameBytes) + " bytes, more than "
                        + named("maxAttributeBytes", maxAttributeBytes)));
            }
        }
        if (extensions > maxExtensions) {
            violations.add(Violation.limit(where.isEmpty() ? "/" : where, "the event has " + extensions
                    + " extension attributes, more than " + named("maxExtensions", maxExtensions)));
        }
        if (total > maxAttributesBytes) {
            violations.add(Violation.limit(where.isEmpty() ? "/" : where, "the attributes have " + total
                    + " bytes together, more than " + named("maxAttributesBytes", maxAttributesBytes)));
        }
        return violations.size() == before;
    }

    /**
     * True when the caps hold whatever the characters: a UTF-16 char is at most 3 UTF-8 bytes (a surrogate pair, two
     * chars, is 4), so usual events are judged by their lengths without counting bytes.
     */
    private boolean surelyWithin(Map<String, Object> attributes) {
        if (attributes.size() > maxExtensions) {
            return false; // maybe too many extensions: count them
        }
        long total = 0;
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            long bound = bound(e.getKey(), e.getValue());
            if (bound < 0) {
                return false;
            }
            total += bound;
        }
        return total <= maxAttributesBytes;
    }

    /**
     * {@link #surelyWithin(Map)} for a built event, read through its getters: the producer checks every event of
     * every batch, and a map of its attributes (or the SDK's {@code getAttributeNames}, a new set per call) would be
     * the largest allocation per row on the Kafka path.
     */
    private boolean surelyWithin(io.cloudevents.CloudEvent event) {
        java.util.Set<String> extensions = event.getExtensionNames();
        if (extensions.size() > maxExtensions) {
            return false;
        }
        long total = 0;
        for (String name : event.getSpecVersion().getAllAttributes()) {
            Object value = event.getAttribute(name);
            long bound = value == null ? 0 : bound(name, value);
            if (bound < 0) {
                return false;
            }
            total += bound;
        }
        for (String name : extensions) {
            long bound = bound(name, event.getExtension(name));
            if (bound < 0) {
                return false;
            }
            total += bound;
        }
        return total <= maxAttributesBytes;
    }

    /** The UTF-8 bytes an attribute may have at most, judged by lengths alone; -1 when a cap may be broken. */
    private long bound(String name, Object value) {
        long nameBound = 3L * name.length();
        long valueBound;
        if (value == null) {
            valueBound = 0;
        } else if (value instanceof Integer || value instanceof Boolean) {
            valueBound = 11;
        } else if (value instanceof OffsetDateTime) {
            // its text would be built for every event of every batch, the largest allocation of the producer's check
            valueBound = MAX_TIME_TEXT;
        } else {
            valueBound = 3L * value.toString().length();
        }
        return nameBound > maxAttributeBytes || valueBound > maxAttributeBytes ? -1 : nameBound + valueBound;
    }

    /**
     * Checks the attributes of an event built elsewhere (by a user's code, not a reader of this package).
     *
     * @param position the event's position in its batch, for the violations' locations ("/3/id")
     * @throws EventLimitExceededException naming the limit
     */
    public void requireWithin(io.cloudevents.CloudEvent event, int position) {
        if (surelyWithin(event)) {
            return;
        }
        String where = "/" + position + "/";
        Map<String, Object> attributes = new java.util.LinkedHashMap<>();
        for (String name : event.getAttributeNames()) {
            attributes.put(name, event.getAttribute(name));
        }
        for (String name : event.getExtensionNames()) {
            attributes.put(name, event.getExtension(name));
        }
        List<Violation> violations = new java.util.ArrayList<>();
        if (!check(attributes, where, violations)) {
            throw new EventLimitExceededException(violations);
        }
    }

    /** UTF-8 length without encoding: counting is enough to judge a cap. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** How a message names a limit: its option name (README "Limits" maps it to the floe.limits key) and value. */
    static String named(String limit, long value) {
        return "the limit " + limit + " (" + value + ")";
    }
}
