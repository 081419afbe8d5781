package dev.floe.camel.iceberg;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Turns a CloudEvent, a Map or a Record into a Record of the table's schema, walking the Iceberg type.
 */
final class RowConverter {

    private final Schema schema;
    private final OffsetDateTime ingestTime;
    private final EventJson json;

    RowConverter(Schema schema, OffsetDateTime ingestTime) {
        this(schema, ingestTime, new EventJson(false, CloudEventLimits.DEFAULTS));
    }

    RowConverter(Schema schema, OffsetDateTime ingestTime, EventJson json) {
        this.schema = schema;
        this.ingestTime = ingestTime;
        this.json = json;
    }

    Record convert(Object row) {
        if (row instanceof Record record) {
            return record;
        }
        if (row instanceof CloudEvent event) {
            return fromEvent(event);
        }
        if (row instanceof Map<?, ?> map) {
            return struct(schema.asStruct(), map, "");
        }
        throw new IllegalArgumentException("unsupported row type " + (row == null ? "null" : row.getClass().getName())
                + ": expected a CloudEvent, a Map or an Iceberg Record");
    }

    // A CloudEvent's values already have the layout's Java types, so they are set directly (hot path).
    private Record fromEvent(CloudEvent event) {
        GenericRecord record = GenericRecord.create(schema);
        set(record, EventTableLayout.ID, event.getId());
        set(record, EventTableLayout.SOURCE, event.getSource().toString());
        set(record, EventTableLayout.SPECVERSION, event.getSpecVersion().toString());
        set(record, EventTableLayout.TYPE, event.getType());
        set(record, EventTableLayout.SUBJECT, event.getSubject());
        set(record, EventTableLayout.TIME, event.getTime());
        set(record, EventTableLayout.DATACONTENTTYPE, event.getDataContentType());
        set(record, EventTableLayout.DATASCHEMA,
                event.getDataSchema() == null ? null : event.getDataSchema().toString());
        if (!event.getExtensionNames().isEmpty()) {
            Map<String, String> extensions = new LinkedHashMap<>();
            for (String name : event.getExtensionNames()) {
                extensions.put(name, canonical(event.getExtension(name)));
            }
            set(record, EventTableLayout.EXTENSIONS, extensions);
        }
        CloudEventData data = event.getData();
        if (data instanceof JsonEventData json) {
            set(record, EventTableLayout.DATA, json.json());
        } else if (data != null && JsonEventData.isJsonMediaType(event.getDataContentType())) {
            set(record, EventTableLayout.DATA, new String(data.toBytes(), StandardCharsets.UTF_8));
        } else if (data != null) {
            set(record, EventTableLayout.DATA_BYTES, ByteBuffer.wrap(data.toBytes()));
        }
        set(record, EventTableLayout.INGEST_TIME, ingestTime);
        Types.NestedField kafkaField = schema.findField(EventTableLayout.KAFKA);
        if (event instanceof SourcedEvent sourced && kafkaField != null) {
            SourcedEvent.KafkaPosition at = sourced.position();
            GenericRecord kafka = GenericRecord.create(kafkaField.type().asStructType());
            kafka.setField("topic", at.topic());
            kafka.setField("partition", at.partition());
            kafka.setField("offset", at.offset());
            kafka.setField("key", at.key() == null ? null : ByteBuffer.wrap(at.key()));
            record.setField(EventTableLayout.KAFKA, kafka);
        }
        Types.NestedField payload = schema.findField(PayloadSchemas.PAYLOAD);
        if (payload != null) {
            JsonNode object = json.payload(event);
            if (object != null) {
                record.setField(PayloadSchemas.PAYLOAD,
                        struct(payload.type().asStructType(), EventJson.toMap(object), "data"));
            }
        }
        for (Types.NestedField field : schema.columns()) {
            if (field.isRequired() && record.getField(field.name()) == null) {
                throw new IllegalArgumentException("required field '" + field.name() + "' is missing");
            }
        }
        return record;
    }

    /** Fields the table does not have are left out, so a table may drop envelope columns it does not want. */
    private void set(GenericRecord record, String name, Object value) {
        if (value != null && schema.findField(name) != null) {
            record.setField(name, value);
        }
    }

    private static String canonical(Object value) {
        if (value instanceof byte[] bytes) {
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof OffsetDateTime time) {
            // always with seconds, as RFC 3339 requires (toString() drops ":00")
            return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
        }
        return String.valueOf(value);
    }

    private Record struct(Types.StructType type, Map<?, ?> values, String path) {
        GenericRecord record = GenericRecord.create(type);
        for (Types.NestedField field : type.fields()) {
            Object value = values.get(field.name());
            String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            if (value == null) {
                if (field.isRequired()) {
                    throw new IllegalArgumentException("required field '" + fieldPath + "' is missing");
                }
                continue;
            }
            record.setField(field.name(), value(field.type(), value, fieldPath));
        }
        return record;
    }

    private Object value(Type type, Object value, String path) {
        try {
            return switch (type.typeId()) {
                case BOOLEAN -> value instanceof Boolean b ? b : Boolean.parseBoolean(strict(value, "true or false"));
                case INTEGER ->
                    value instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.valueOf(value.toString());
                case LONG -> value instanceof Number n ? n.longValue() : Long.valueOf(value.toString());
                case FLOAT -> value instanceof Number n ? n.floatValue() : Float.valueOf(value.toString());
                case DOUBLE -> value instanceof Number n ? n.doubleValue() : Double.valueOf(value.toString());
                case DECIMAL -> value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
                case STRING -> value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                        ? value.toString()
                        : fail(value, "a string");
                case UUID -> value instanceof UUID u ? u : UUID.fromString(value.toString());
                case BINARY, FIXED -> binary(value);
                case DATE -> value instanceof LocalDate d ? d : LocalDate.parse(value.toString());
                case TIMESTAMP -> timestamp((Types.TimestampType) type, value);
                case STRUCT ->
                    value instanceof Map<?, ?> m ? struct(type.asStructType(), m, path) : fail(value, "an object");
                case LIST -> list(type.asListType(), value, path);
                case MAP -> map(type.asMapType(), value, path);
                default -> fail(value, "a supported type (got column type " + type + ")");
            };
        } catch (ArithmeticException | IllegalArgumentException | java.time.DateTimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("field '")) {
                throw e;
            }
            throw new IllegalArgumentException("field '" + path + "' of type " + type + ": " + e.getMessage(), e);
        }
    }

    private static Object timestamp(Types.TimestampType type, Object value) {
        OffsetDateTime time;
        if (value instanceof OffsetDateTime t) {
            time = t;
        } else if (value instanceof ZonedDateTime t) {
            time = t.toOffsetDateTime();
        } else if (value instanceof Instant t) {
            time = t.atOffset(ZoneOffset.UTC);
        } else if (value instanceof LocalDateTime t) {
            return type.shouldAdjustToUTC() ? t.atOffset(ZoneOffset.UTC) : t;
        } else {
            time = OffsetDateTime.parse(value.toString());
        }
        return type.shouldAdjustToUTC() ? time : time.toLocalDateTime();
    }

    private static ByteBuffer binary(Object value) {
        if (value instanceof ByteBuffer b) {
            return b;
        }
        if (value instanceof byte[] b) {
            return ByteBuffer.wrap(b);
        }
        return fail(value, "bytes");
    }

    private List<Object> list(Types.ListType type, Object value, String path) {
        if (!(value instanceof Collection<?> items)) {
            return fail(value, "a list");
        }
        List<Object> result = new ArrayList<>(items.size());
        int i = 0;
        for (Object item : items) {
            result.add(item == null ? null : value(type.elementType(), item, path + "[" + i++ + "]"));
        }
        return result;
    }

    private Map<Object, Object> map(Types.MapType type, Object value, String path) {
        if (!(value instanceof Map<?, ?> entries)) {
            return fail(value, "a map");
        }
        Map<Object, Object> result = new LinkedHashMap<>();
        entries.forEach((k, v) -> result.put(value(type.keyType(), k, path + ".key"),
                v == null ? null : value(type.valueType(), v, path + "[" + k + "]")));
        return result;
    }

    private static String strict(Object value, String expected) {
        String text = value.toString();
        if (!text.equals("true") && !text.equals("false")) {
            fail(value, expected);
        }
        return text;
    }

    private static <T> T fail(Object value, String expected) {
        throw new IllegalArgumentException("expected " + expected + " but got " + value.getClass().getSimpleName());
    }
}
