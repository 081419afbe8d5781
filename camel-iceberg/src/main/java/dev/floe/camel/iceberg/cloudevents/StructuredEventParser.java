package dev.floe.camel.iceberg.cloudevents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.floe.camel.iceberg.JsonEventData;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.data.BytesCloudEventData;

/**
 * Reads one structured-mode event from a streaming parser positioned on its first token, checking the JSON format's
 * rules as the members go by. {@code data} is not parsed into anything: its bytes are cut out of the input as they
 * were sent, so JSON data reaches the table's data column without a tree or a re-serialisation.
 */
final class StructuredEventParser {

    private final JsonParser parser;
    private final byte[] input;
    private final CloudEventLimits limits;

    StructuredEventParser(JsonParser parser, byte[] input, CloudEventLimits limits) {
        this.parser = parser;
        this.input = input;
        this.limits = limits;
    }

    /**
     * Reads the event at the parser's current token and leaves the parser on that value's last token.
     *
     * @param where prefix for violation locations, "" for a single event or "/3/" inside a batch
     * @return the event, or null when it broke a rule (then {@code violations} says which)
     */
    CloudEvent read(String where, List<Violation> violations) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            violations.add(new Violation(where.isEmpty() ? "/" : where, "an event must be a JSON object"));
            parser.skipChildren();
            return null;
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        Member data = null;
        Member base64 = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_NULL) {
                continue; // null means unset
            }
            if (name.equals("data")) {
                data = member(token);
            } else if (name.equals("data_base64")) {
                base64 = member(token);
            } else if (EventAttributes.isContextAttribute(name)) {
                if (token == JsonToken.VALUE_STRING) {
                    attributes.put(name, parser.getText());
                } else {
                    violations.add(new Violation(where + name, "must be a JSON string"));
                    parser.skipChildren();
                }
            } else {
                extension(name, token, attributes, where, violations);
            }
        }
        CloudEventData payload = data(data, base64, attributes, where, violations);
        return EventAttributes.build(attributes, payload, where, violations, limits);
    }

    private void extension(String name, JsonToken token, Map<String, Object> attributes, String where,
            List<Violation> violations) throws IOException {
        switch (token) {
            case VALUE_STRING -> attributes.put(name, parser.getText());
            case VALUE_TRUE, VALUE_FALSE -> attributes.put(name, token == JsonToken.VALUE_TRUE);
            case VALUE_NUMBER_INT -> {
                if (parser.getNumberType() == JsonParser.NumberType.INT) {
                    attributes.put(name, parser.getIntValue());
                } else {
                    violations.add(extensionType(name, where));
                }
            }
            default -> {
                violations.add(extensionType(name, where));
                parser.skipChildren();
            }
        }
    }

    private static Violation extensionType(String name, String where) {
        return new Violation(where + EventAttributes.clip(name),
                "extension values must be a string, a boolean or a 32-bit integer");
    }

    /** Where a data member's value lies in the input; a string's text too, as non-JSON data is that text. */
    private record Member(JsonToken token, int start, int end, String text) {

        boolean isString() {
            return token == JsonToken.VALUE_STRING;
        }
    }

    private Member member(JsonToken token) throws IOException {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        String text = null;
        if (token == JsonToken.VALUE_STRING) {
            text = parser.getText(); // also moves the parser past the closing quote
        } else if (token.isStructStart()) {
            skipStructure();
        } else {
            parser.finishToken();
        }
        return new Member(token, start, (int) parser.currentLocation().getByteOffset(), text);
    }

    /**
     * Moves past the object or array the parser is on, checking syntax, duplicate names and the depth and number
     * limits all the way down, as {@code skipChildren} does. Unlike {@code skipChildren}, which skips strings unread,
     * it holds every string to {@code maxJsonStringLength}: it did when data was parsed into a tree.
     */
    private void skipStructure() throws IOException {
        int depth = 1;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return; // the end of the input: the caller's next read reports the unclosed structure
            }
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            } else if (token == JsonToken.VALUE_STRING) {
                parser.streamReadConstraints().validateStringLength(parser.getTextLength());
            }
        }
    }

    private CloudEventData data(Member data, Member base64, Map<String, Object> attributes, String where,
            List<Violation> violations) {
        if (data != null && base64 != null) {
            violations.add(new Violation(where + "data_base64", "an event must not have both data and data_base64"));
            return null;
        }
        if (base64 != null) {
            if (!base64.isString()) {
                violations.add(new Violation(where + "data_base64", "must be a base64 string"));
                return null;
            }
            int length = base64.text().length();
            if (length > limits.maxDataBase64Length()) {
                violations.add(Violation.limit(where + "data_base64", "has " + length + " characters, more than "
                        + CloudEventLimits.named("maxDataBase64Length", limits.maxDataBase64Length())));
                return null;
            }
            try {
                return BytesCloudEventData.wrap(Base64.getDecoder().decode(base64.text()));
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(where + "data_base64", "is not valid base64: " + e.getMessage()));
                return null;
            }
        }
        if (data == null) {
            return null;
        }
        Object contentType = attributes.get("datacontenttype");
        if (contentType == null || JsonEventData.isJsonMediaType(contentType.toString())) {
            return new JsonEventData(new String(input, data.start(), data.end() - data.start(),
                    StandardCharsets.UTF_8));
        }
        // a non-JSON media type: a JSON string holds the payload itself, anything else is sent as its JSON text
        return BytesCloudEventData.wrap(data.isString()
                ? data.text().getBytes(StandardCharsets.UTF_8)
                : Arrays.copyOfRange(input, data.start(), data.end()));
    }
}
