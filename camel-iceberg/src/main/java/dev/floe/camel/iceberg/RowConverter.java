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
import java.util.stream.IntStream;

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
    // positions of the layout's columns, -1 when the table dropped one: resolved once, not per row by name
    private final GenericRecord template;
    private final int id;
    private final int source;
    private final int specversion;
    private final int type;
    private final int subject;
    private final int time;
    private final int dataContentType;
    private final int dataSchema;
    private final int extensions;
    private final int data;
    private final int dataBytes;
    private final int ingest;
    private final int kafka;
    private final int payload;
    private final int[] required;

    RowConverter(Schema schema, OffsetDateTime ingestTime) {
        this(schema, ingestTime, new EventJson(false, CloudEventLimits.DEFAULTS));
    }

    RowConverter(Schema schema, OffsetDateTime ingestTime, EventJson json) {
        this.schema = schema;
        this.ingestTime = ingestTime;
        this.json = json;
        this.template = GenericRecord.create(schema);
        List<Types.NestedField> columns = schema.columns();
        this.id = position(columns, EventTableLayout.ID);
        this.source = position(columns, EventTableLayout.SOURCE);
        this.specversion = position(columns, EventTableLayout.SPECVERSION);
        this.type = position(columns, EventTableLayout.TYPE);
        this.subject = position(columns, EventTableLayout.SUBJECT);
        this.time = position(columns, EventTableLayout.TIME);
        this.dataContentType = position(columns, EventTableLayout.DATACONTENTTYPE);
        this.dataSchema = position(columns, EventTableLayout.DATASCHEMA);
        this.extensions = position(columns, EventTableLayout.EXTENSIONS);
        this.data = position(columns, EventTableLayout.DATA);
        this.dataBytes = position(columns, EventTableLayout.DATA_BYTES);
        this.ingest = position(columns, EventTableLayout.INGEST_TIME);
        this.kafka = position(columns, EventTableLayout.KAFKA);
        this.payload = position(columns, PayloadSchemas.PAYLOAD);
        this.required = IntStream.range(0, columns.size())
                .filter(i -> columns.get(i).isRequired()).toArray();
    }

    private static int position(List<Types.NestedField> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
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
        GenericRecord record = template.copy();
        set(record, id, event.getId());
        set(record, source, event.getSource().toString());
        set(record, specversion, event.getSpecVersion().toString());
        set(record, type, event.getType());
        set(record, subject, event.getSubject());
        set(record, time, event.getTime());
        set(record, dataContentType, event.getDataContentType());
        set(record, dataSchema, event.getDataSchema() == null ? null : event.getDataSchema().toString());
        if (extensions >= 0 && !event.getExtensionNames().isEmpty()) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String name : event.getExtensionNames()) {
                values.put(name, canonical(event.getExtension(name)));
            }
            record.set(extensions, values);
        }
        CloudEventData eventData = event.getData();
        if (eventData instanceof JsonEventData text) {
            set(record, data, text.json());
        } else if (eventData != null && JsonEventData.isJsonMediaType(event.getDataContentType())) {
            set(record, data, new String(eventData.toBytes(), StandardCharsets.UTF_8));
        } else if (eventData != null) {
            set(record, dataBytes, ByteBuffer.wrap(eventData.toBytes()));
        }
        set(record, ingest, ingestTime);
        if (event instanceof SourcedEvent sourced && kafka >= 0) {
            SourcedEvent.KafkaPosition at = sourced.position();
            GenericRecord position = GenericRecord.create(schema.columns().get(kafka).type().asStructType());
            position.setField("topic", at.topic());
            position.setField("partition", at.partition());
            position.setField("offset", at.offset());
            position.setField("key", at.key() == null ? null : ByteBuffer.wrap(at.key()));
            record.set(kafka, position);
        }
        if (payload >= 0) {
            JsonNode object = json.payload(event);
            if (object != null) {
                record.set(payload, struct(schema.columns().get(payload).type().asStructType(),
                        EventJson.toMap(object), "data"));
            }
        }
        for (int i : required) {
            if (record.get(i) == null) {
                throw new IllegalArgumentException("required field '" + schema.columns().get(i).name()
                        + "' is missing");
            }
        }
        return record;
    }

    /** Fields the table does not have (position -1) are left out, so a table may drop envelope columns. */
    private static void set(GenericRecord record, int position, Object value) {
        if (value != null && position >= 0) {
            record.set(position, value);
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
