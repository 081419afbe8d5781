package dev.floe.camel.iceberg.cloudevents;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.cloudevents.CloudEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Reads the CloudEvents of a Camel message in any mode: already-canonical events, structured or batched JSON or
 * Protobuf, or binary mode with the given binding's attribute headers.
 */
public final class CloudEventMessages {

    public static final String STRUCTURED = "application/cloudevents+json";
    public static final String BATCH = "application/cloudevents-batch+json";
    public static final String STRUCTURED_PROTOBUF = "application/cloudevents+protobuf";
    public static final String BATCH_PROTOBUF = "application/cloudevents-batch+protobuf";

    private CloudEventMessages() {
    }

    /** Reads with the limits of the message's Camel context ({@link CloudEventLimits#of(org.apache.camel.CamelContext)}). */
    public static List<CloudEvent> read(Message message, BinaryModeReader.Binding binding) {
        return read(message, binding, CloudEventLimits.of(message));
    }

    /**
     * @throws InvalidCloudEventException when the message is a CloudEvent that breaks the spec or a limit
     * @throws UnsupportedFormatException when it is not a CloudEvent in a format Floe reads
     */
    @SuppressWarnings("unchecked")
    public static List<CloudEvent> read(Message message, BinaryModeReader.Binding binding, CloudEventLimits limits) {
        Object body = message.getBody();
        if (body instanceof CloudEvent event) {
            return List.of(event);
        }
        if (body instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(CloudEvent.class::isInstance)) {
            return (List<CloudEvent>) list;
        }
        byte[] bytes = message.getBody(byte[].class);
        if (bytes == null) {
            bytes = new byte[0];
        }
        String contentType = contentType(message);
        String mediaType = mediaType(contentType);
        if (mediaType.equals(STRUCTURED)) {
            requireUtf8(contentType);
            return List.of(JsonEventReader.readEvent(bytes, limits));
        }
        if (mediaType.equals(BATCH)) {
            requireBatchedMode(binding);
            requireUtf8(contentType);
            return JsonEventReader.readBatch(bytes, limits);
        }
        if (mediaType.equals(STRUCTURED_PROTOBUF)) {
            return List.of(ProtobufEventReader.readEvent(bytes, limits));
        }
        if (mediaType.equals(BATCH_PROTOBUF)) {
            requireBatchedMode(binding);
            return ProtobufEventReader.readBatch(bytes, limits);
        }
        if (mediaType.startsWith("application/cloudevents")) {
            throw new UnsupportedFormatException("event format '" + mediaType + "' is not supported: send " + STRUCTURED
                    + ", " + STRUCTURED_PROTOBUF + (binding.batchedMode() ? ", " + BATCH + ", " + BATCH_PROTOBUF : "")
                    + " or binary mode");
        }
        if (BinaryModeReader.hasAttributes(message.getHeaders(), binding)) {
            return List.of(BinaryModeReader.read(message.getHeaders(), binding, contentType, bytes, limits));
        }
        throw new UnsupportedFormatException("not a CloudEvent: send binary mode (" + binding.prefixes().get(0)
                + "specversion, id, source and type) or content type " + STRUCTURED + " or "
                + STRUCTURED_PROTOBUF + (binding.batchedMode() ? " (or their batches)" : ""));
    }

    private static void requireBatchedMode(BinaryModeReader.Binding binding) {
        if (!binding.batchedMode()) {
            throw new UnsupportedFormatException("batched mode is not part of the CloudEvents " + binding.protocol()
                    + " protocol binding: send one event per message");
        }
    }

    private static String contentType(Message message) {
        String contentType = header(message, Exchange.CONTENT_TYPE);
        // Kafka headers are lower case by convention
        return contentType != null ? contentType : header(message, "content-type");
    }

    /**
     * A header as text. A Kafka header's value is bytes, decoded here as UTF-8 rather than by Camel's type converter,
     * whose lookups (the converter, the exchange's charset) cost more per record than reading a small event.
     */
    private static String header(Message message, String name) {
        Object value = message.getHeader(name);
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value == null || value instanceof String ? (String) value : message.getHeader(name, String.class);
    }

    /** The media type without parameters, lower case; "" when there is none. */
    public static String mediaType(String contentType) {
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
