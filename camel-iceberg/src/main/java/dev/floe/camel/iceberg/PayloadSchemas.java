package dev.floe.camel.iceberg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Typed columns inferred from JSON data, kept in the {@code payload} struct column, and the schema evolution that lets
 * them grow: new fields (top-level and nested), int to long, float to double, required to optional. Anything else is
 * an {@link IncompatibleSchemaException}.
 */
final class PayloadSchemas {

    static final String PAYLOAD = "payload";

    // ids of inferred types are placeholders: UpdateSchema.addColumn assigns the real ones
    private static final AtomicInteger IDS = new AtomicInteger(1_000_000);

    private PayloadSchemas() {
    }

    /** The struct type of a JSON object; fields whose type cannot be told yet (null, []) are left out. */
    static Types.StructType infer(JsonNode object) {
        return infer(object, null, "");
    }

    /**
     * As {@link #infer(JsonNode)}, with every member name that becomes a column checked against {@code names}.
     *
     * @throws IncompatibleSchemaException naming the first member whose name does not match
     */
    static Types.StructType infer(JsonNode object, Pattern names, String path) {
        List<Types.NestedField> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (names != null && !names.matcher(field.getKey()).matches()) {
                throw new IncompatibleSchemaException("field 'data." + clip(printable(fieldPath))
                        + "' cannot become a column: its name does not match the inferredColumnPattern " + names);
            }
            Type type = inferValue(field.getValue(), fieldPath, names);
            if (type != null) {
                fields.add(Types.NestedField.optional(IDS.incrementAndGet(), field.getKey(), type));
            }
        }
        return Types.StructType.of(fields);
    }

    private static Type inferValue(JsonNode value, String path, Pattern names) {
        switch (value.getNodeType()) {
            case BOOLEAN :
                return Types.BooleanType.get();
            case NUMBER :
                if (value.isIntegralNumber()) {
                    return value.canConvertToInt()
                            ? Types.IntegerType.get()
                            : value.canConvertToLong() ? Types.LongType.get() : Types.DoubleType.get();
                }
                return Types.DoubleType.get();
            case STRING :
                return Types.StringType.get();
            case OBJECT :
                return infer(value, names, path);
            case ARRAY :
                Type element = null;
                for (JsonNode item : value) {
                    Type itemType = inferValue(item, path + "[]", names);
                    element = element == null
                            ? itemType
                            : itemType == null ? element : merge(element, itemType, path + "[]");
                }
                return element == null ? null : Types.ListType.ofOptional(IDS.incrementAndGet(), element);
            default :
                return null; // null, binary, missing: nothing to learn
        }
    }

    /** The smallest struct that holds both, or an IncompatibleSchemaException naming the field. */
    static Types.StructType merge(Types.StructType current, Types.StructType incoming) {
        return (Types.StructType) merge(current, incoming, "");
    }

    private static Type merge(Type current, Type incoming, String path) {
        if (current.equals(incoming)) {
            return current;
        }
        if (current.isStructType() && incoming.isStructType()) {
            List<Types.NestedField> fields = new ArrayList<>(current.asStructType().fields());
            // by name, not a scan per field: a sender's object may have a hundred thousand members
            Map<String, Integer> positions = new HashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                positions.put(fields.get(i).name(), i);
            }
            for (Types.NestedField field : incoming.asStructType().fields()) {
                String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
                Integer at = positions.get(field.name());
                if (at == null) {
                    positions.put(field.name(), fields.size());
                    fields.add(Types.NestedField.optional(IDS.incrementAndGet(), field.name(), field.type()));
                } else {
                    Types.NestedField existing = fields.get(at);
                    Type merged = merge(existing.type(), field.type(), fieldPath);
                    fields.set(at,
                            Types.NestedField.of(existing.fieldId(), existing.isOptional(), existing.name(), merged,
                                    existing.doc()));
                }
            }
            return Types.StructType.of(fields);
        }
        if (current.isListType() && incoming.isListType()) {
            Types.ListType list = current.asListType();
            Type element = merge(list.elementType(), incoming.asListType().elementType(), path + "[]");
            return list.isElementOptional()
                    ? Types.ListType.ofOptional(list.elementId(), element)
                    : Types.ListType.ofRequired(list.elementId(), element);
        }
        if (current.isPrimitiveType() && incoming.isPrimitiveType()) {
            Type.TypeID from = current.typeId();
            Type.TypeID to = incoming.typeId();
            if (from == Type.TypeID.INTEGER && to == Type.TypeID.LONG
                    || from == Type.TypeID.FLOAT && to == Type.TypeID.DOUBLE) {
                return incoming; // the two widenings Iceberg allows
            }
            if (from == Type.TypeID.LONG && to == Type.TypeID.INTEGER
                    || from == Type.TypeID.DOUBLE && to == Type.TypeID.FLOAT
                    || (from == Type.TypeID.DOUBLE || from == Type.TypeID.FLOAT)
                            && (to == Type.TypeID.INTEGER || to == Type.TypeID.LONG)) {
                return current; // the column already holds these values
            }
        }
        throw new IncompatibleSchemaException("field 'data." + path + "' is " + describe(current)
                + " in the table but " + describe(incoming) + " in the event");
    }

    /** Applies what it takes to turn {@code current} (null: no payload column yet) into {@code target}. */
    static void apply(UpdateSchema update, Types.StructType current, Types.StructType target) {
        if (current == null) {
            update.addColumn(PAYLOAD, target);
            return;
        }
        apply(update, PAYLOAD, current, target);
    }

    private static void apply(UpdateSchema update, String parent, Types.StructType current, Types.StructType target) {
        for (Types.NestedField field : target.fields()) {
            Types.NestedField existing = current.field(field.name());
            String name = parent + "." + field.name();
            if (existing == null) {
                update.addColumn(parent, field.name(), field.type());
            } else if (existing.type().isStructType() && field.type().isStructType()) {
                apply(update, name, existing.type().asStructType(), field.type().asStructType());
            } else if (existing.type().isListType() && field.type().isListType()) {
                Type was = existing.type().asListType().elementType();
                Type now = field.type().asListType().elementType();
                if (was.isStructType() && now.isStructType()) {
                    apply(update, name + ".element", was.asStructType(), now.asStructType());
                } else if (!was.equals(now) && now.isPrimitiveType()) {
                    update.updateColumn(name + ".element", now.asPrimitiveType());
                }
            } else if (!existing.type().equals(field.type()) && field.type().isPrimitiveType()) {
                update.updateColumn(name, field.type().asPrimitiveType());
            }
        }
    }

    /** Required payload fields the event does not carry: they must become optional for the row to be written. */
    static List<String> missingRequired(Types.StructType current, JsonNode object, String parent) {
        List<String> missing = new ArrayList<>();
        for (Types.NestedField field : current.fields()) {
            JsonNode value = object.get(field.name());
            String name = parent + "." + field.name();
            if ((value == null || value.isNull()) && field.isRequired()) {
                missing.add(name);
            } else if (value != null && value.isObject() && field.type().isStructType()) {
                missing.addAll(missingRequired(field.type().asStructType(), value, name));
            }
        }
        return missing;
    }

    /** How many columns a payload type holds: every field, nested ones (in structs and lists of structs) included. */
    static int columnCount(Type type) {
        if (type.isStructType()) {
            int count = 0;
            for (Types.NestedField field : type.asStructType().fields()) {
                count += 1 + columnCount(field.type());
            }
            return count;
        }
        if (type.isListType()) {
            return columnCount(type.asListType().elementType());
        }
        if (type.isMapType()) {
            return columnCount(type.asMapType().valueType());
        }
        return 0;
    }

    private static String printable(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    private static String clip(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private static String describe(Type type) {
        return type.isPrimitiveType() ? type.toString() : type.typeId().toString().toLowerCase();
    }
}
