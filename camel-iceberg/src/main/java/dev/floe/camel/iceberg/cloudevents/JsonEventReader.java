package dev.floe.camel.iceberg.cloudevents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.floe.camel.iceberg.JsonEventData;
import io.cloudevents.CloudEvent;

/**
 * Reads the CloudEvents JSON event format: one structured event, or a batch (a JSON array of them).
 * <p>
 * One pass of Jackson's streaming parser over the bytes, no tree: the rules are checked as the members go by, with a
 * precise location ("/2/time"), and JSON data stays the JSON text it was sent as, for the table's data column. Not the
 * SDK's JsonFormat, whose errors do not say where and which builds a tree per event.
 */
public final class JsonEventReader {

    // one factory per set of limits; a process has one or two (the application's, the component's defaults)
    private static final Map<CloudEventLimits, JsonFactory> FACTORIES = new ConcurrentHashMap<>();

    private JsonEventReader() {
    }

    public static CloudEvent readEvent(byte[] body) {
        return readEvent(body, CloudEventLimits.DEFAULTS);
    }

    public static CloudEvent readEvent(byte[] body, CloudEventLimits limits) {
        return parse(body, limits, parser -> {
            List<Violation> violations = new ArrayList<>();
            CloudEvent event = new StructuredEventParser(parser, body, limits).read("", violations);
            requireEnd(parser);
            if (!violations.isEmpty()) {
                throw InvalidCloudEventException.of(violations);
            }
            return event;
        });
    }

    public static List<CloudEvent> readBatch(byte[] body) {
        return readBatch(body, CloudEventLimits.DEFAULTS);
    }

    /** All events of the batch, or an exception listing every violation: a batch is all-or-nothing. */
    public static List<CloudEvent> readBatch(byte[] body, CloudEventLimits limits) {
        return parse(body, limits, parser -> {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw new InvalidCloudEventException("/", "a batch must be a JSON array of events");
            }
            StructuredEventParser events = new StructuredEventParser(parser, body, limits);
            List<Violation> violations = new ArrayList<>();
            List<CloudEvent> batch = new ArrayList<>();
            for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
                batch.add(events.read("/" + i + "/", violations));
                if (violations.size() >= InvalidCloudEventException.MAX_LISTED) {
                    // a megabyte of [{},{},...] holds a million violations: the answer lists the first ones, not all
                    violations
                            .add(new Violation("/", "the batch was not checked past event " + i + ": fix these first"));
                    skipRest(parser); // the rest must still be JSON within the limits: that error comes first
                    break;
                }
            }
            requireEnd(parser);
            if (!violations.isEmpty()) {
                throw InvalidCloudEventException.of(violations);
            }
            return batch;
        });
    }

    /** A parser of sender JSON within the limits, refusing duplicate member names ({@link UniqueNamesParser}). */
    private static JsonParser parser(byte[] body, CloudEventLimits limits) throws IOException {
        JsonFactory factory = FACTORIES.computeIfAbsent(limits,
                l -> JsonFactory.builder().streamReadConstraints(l.streamReadConstraints()).build());
        return new UniqueNamesParser(factory.createParser(body));
    }

    private interface Read<T> {

        T from(JsonParser parser) throws IOException;
    }

    /** One streaming pass over the body; JSON that is malformed or over a limit fails at "/" whatever came before. */
    private static <T> T parse(byte[] body, CloudEventLimits limits, Read<T> read) {
        if (body == null || body.length == 0) {
            throw new InvalidCloudEventException("/", "the body is empty");
        }
        requireDocumentLength(body, "/", limits);
        try (JsonParser parser = parser(body, limits)) {
            if (parser.nextToken() == null) {
                throw new InvalidCloudEventException("/", "the body holds no JSON value");
            }
            if (parser.currentTokenLocation().getByteOffset() < 0) {
                // Jackson detected UTF-16 or UTF-32 and reads characters, not bytes: data could not be cut out of the
                // body by byte offsets, and JSON exchanged between systems must be UTF-8 anyway (RFC 8259)
                throw new UnsupportedFormatException("a CloudEvents JSON body must be UTF-8 (RFC 8259)");
            }
            return read.from(parser);
        } catch (StreamConstraintsException e) {
            throw overLimit("/", e, limits);
        } catch (JsonProcessingException e) {
            throw new InvalidCloudEventException("/", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidCloudEventException("/", "the body could not be read: " + e.getMessage());
        }
    }

    private static void skipRest(JsonParser parser) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            parser.skipChildren();
        }
    }

    /** A second value after the event or batch would be dropped silently: refuse it. */
    private static void requireEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new InvalidCloudEventException("/", "the body holds more than one JSON value");
        }
    }

    /** Checks that JSON data in binary mode is well-formed; returns it as JSON text. */
    public static JsonEventData jsonData(byte[] body, String where) {
        return jsonData(body, where, CloudEventLimits.DEFAULTS);
    }

    /** Checks that JSON data in binary mode is well-formed and within the limits; returns it as JSON text. */
    public static JsonEventData jsonData(byte[] body, String where, CloudEventLimits limits) {
        requireDocumentLength(body, where, limits);
        try (JsonParser parser = parser(body, limits)) {
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
}
