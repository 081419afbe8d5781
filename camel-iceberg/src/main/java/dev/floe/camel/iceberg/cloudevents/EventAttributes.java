package dev.floe.camel.iceberg.cloudevents;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * Checks context attributes against CloudEvents v1.0.2 and builds the canonical event.
 * <p>
 * Written here rather than left to the SDK's builder because the SDK accepts some values the spec forbids (an empty
 * subject, a relative dataschema, an RFC 3339 time with a lower-case 't') and its errors do not say which attribute was
 * wrong, which a 400 problem body must.
 */
public final class EventAttributes {

    public static final String SPECVERSION_1_0 = "1.0";

    // RFC 2046 / RFC 7231 media type: type "/" subtype *( OWS ";" OWS parameter )
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            TOKEN + "/" + TOKEN + "(\\s*;\\s*" + TOKEN + "=(" + TOKEN + "|\"([^\"\\\\]|\\\\.)*\"))*\\s*");
    private static final String TOKEN_SYMBOLS = "!#$%&'*+.^_`|~-";

    private EventAttributes() {
    }

    /**
     * Builds a v1.0 event from attribute values in their canonical string form; extensions are any other names.
     *
     * @param where prefix for violation locations, e.g. "" or "/3/" inside a batch
     */
    public static CloudEvent build(Map<String, Object> attributes, CloudEventData data, String where,
            List<Violation> violations) {
        return build(attributes, data, where, violations, CloudEventLimits.DEFAULTS);
    }

    /** As {@link #build(Map, CloudEventData, String, List)}, first checking the attributes against the caps. */
    public static CloudEvent build(Map<String, Object> attributes, CloudEventData data, String where,
            List<Violation> violations, CloudEventLimits limits) {
        if (!limits.check(attributes, where, violations)) {
            return null; // over a cap: not worth checking further, nor echoing back
        }
        int before = violations.size();
        CloudEventBuilder builder = CloudEventBuilder.v1();
        String specversion = string(attributes, "specversion");
        if (specversion == null) {
            violations.add(new Violation(where + "specversion", "required attribute is missing"));
        } else if (!SPECVERSION_1_0.equals(specversion)) {
            violations.add(new Violation(where + "specversion",
                    "unsupported specversion '" + specversion + "': only 1.0 is accepted"));
        }
        String id = requiredNonEmpty(attributes, "id", where, violations);
        if (id != null) {
            builder.withId(id);
        }
        String source = requiredNonEmpty(attributes, "source", where, violations);
        if (source != null) {
            URI uri = sourceUri(source, where, violations);
            if (uri != null) {
                builder.withSource(uri);
            }
        }
        String type = requiredNonEmpty(attributes, "type", where, violations);
        if (type != null) {
            builder.withType(type);
        }
        String subject = string(attributes, "subject");
        if (subject != null) {
            if (subject.isEmpty()) {
                violations.add(new Violation(where + "subject", "must be a non-empty string when present"));
            } else {
                builder.withSubject(subject);
            }
        }
        String time = string(attributes, "time");
        if (time != null) {
            OffsetDateTime parsed = time(time);
            if (parsed == null) {
                violations.add(new Violation(where + "time", "'" + clip(time) + "' is not an RFC 3339 timestamp"));
            } else {
                builder.withTime(parsed);
            }
        }
        String contentType = string(attributes, "datacontenttype");
        if (contentType != null) {
            if (!isMediaType(contentType)) {
                violations.add(new Violation(where + "datacontenttype",
                        "'" + clip(contentType) + "' is not an RFC 2046 media type"));
            } else {
                builder.withDataContentType(contentType);
            }
        }
        String dataschema = string(attributes, "dataschema");
        if (dataschema != null) {
            URI uri = dataschema.isEmpty() ? null : uri(dataschema, where + "dataschema", violations);
            if (dataschema.isEmpty() || (uri != null && !uri.isAbsolute())) {
                violations.add(new Violation(where + "dataschema", "must be a non-empty absolute URI"));
            } else if (uri != null) {
                builder.withDataSchema(uri);
            }
        }
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            String name = e.getKey();
            if (isContextAttribute(name) || e.getValue() == null) {
                continue;
            }
            if (!isExtensionName(name)) {
                violations.add(new Violation(where + clip(name),
                        "attribute names must consist of lower-case letters a-z and digits 0-9"));
                continue;
            }
            Object value = e.getValue();
            if (value instanceof Integer i) {
                builder.withExtension(name, i);
            } else if (value instanceof Boolean b) {
                builder.withExtension(name, b);
            } else {
                builder.withExtension(name, value.toString());
            }
        }
        if (data != null) {
            builder.withData(data);
        }
        return violations.size() == before ? builder.build() : null;
    }

    public static boolean isContextAttribute(String name) {
        return switch (name) {
            case "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema" -> true;
            default -> false;
        };
    }

    /** An RFC 3339 timestamp, or null. */
    static OffsetDateTime time(String text) {
        return Rfc3339.parse(text);
    }

    /** Lower-case letters a-z and digits 0-9 (a loop, not a regex: it runs for every extension of every event). */
    static boolean isExtensionName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c < 'a' || c > 'z') && (c < '0' || c > '9')) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    /**
     * An RFC 2046 media type. Plain "type/subtype", what nearly every event carries, is checked by a loop; only
     * parameters or white space go through the full pattern (a regex per event cost a tenth of a read).
     */
    static boolean isMediaType(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (i != slash && !isTokenChar(text.charAt(i))) {
                return MEDIA_TYPE.matcher(text).matches();
            }
        }
        return true;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || TOKEN_SYMBOLS.indexOf(c) >= 0;
    }

    private static String requiredNonEmpty(Map<String, Object> attributes, String name, String where,
            List<Violation> violations) {
        String value = string(attributes, name);
        if (value == null) {
            violations.add(new Violation(where + name, "required attribute is missing"));
            return null;
        }
        if (value.isEmpty()) {
            violations.add(new Violation(where + name, "must be a non-empty string"));
            return null;
        }
        return value;
    }

    /** The last source read and its URI: a stream's events mostly share one source, and parsing it is not free. */
    private record Source(String text, URI uri) {
    }

    private static volatile Source lastSource = new Source("", null);

    private static URI sourceUri(String text, String where, List<Violation> violations) {
        Source last = lastSource;
        if (last.text().equals(text)) {
            return last.uri();
        }
        URI uri = uri(text, where + "source", violations);
        if (uri != null) {
            lastSource = new Source(text, uri);
        }
        return uri;
    }

    private static URI uri(String text, String where, List<Violation> violations) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            violations.add(new Violation(where, "'" + clip(text) + "' is not a URI-reference: " + e.getReason()));
            return null;
        }
    }

    private static String string(Map<String, Object> attributes, String name) {
        Object value = attributes.get(name);
        return value == null ? null : value.toString();
    }

    /** Keeps echoed client text short in error messages. */
    static String clip(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
