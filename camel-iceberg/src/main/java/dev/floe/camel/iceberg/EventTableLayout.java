package dev.floe.camel.iceberg;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The default table layout: one row per CloudEvent, lossless. JSON data is kept as JSON text in {@code data}, any other
 * payload as bytes in {@code data_bytes}.
 */
public final class EventTableLayout {

    public static final String ID = "id";
    public static final String SOURCE = "source";
    public static final String SPECVERSION = "specversion";
    public static final String TYPE = "type";
    public static final String SUBJECT = "subject";
    public static final String TIME = "time";
    public static final String DATACONTENTTYPE = "datacontenttype";
    public static final String DATASCHEMA = "dataschema";
    public static final String EXTENSIONS = "extensions";
    public static final String DATA = "data";
    public static final String DATA_BYTES = "data_bytes";
    public static final String INGEST_TIME = "ingest_time";
    /** Where a Kafka record came from: topic, partition, offset and key; null for other sources. */
    public static final String KAFKA = "kafka";
    public static final Types.StructType KAFKA_TYPE = Types.StructType.of(
            required(16, "topic", Types.StringType.get()),
            required(17, "partition", Types.IntegerType.get()),
            required(18, "offset", Types.LongType.get()),
            optional(19, "key", Types.BinaryType.get(), "the record key as its bytes"));

    public static final Schema SCHEMA = new Schema(
            required(1, ID, Types.StringType.get()),
            required(2, SOURCE, Types.StringType.get()),
            required(3, SPECVERSION, Types.StringType.get()),
            required(4, TYPE, Types.StringType.get()),
            optional(5, SUBJECT, Types.StringType.get()),
            optional(6, TIME, Types.TimestampType.withZone()),
            optional(7, DATACONTENTTYPE, Types.StringType.get()),
            optional(8, DATASCHEMA, Types.StringType.get()),
            optional(9, EXTENSIONS,
                    Types.MapType.ofRequired(13, 14, Types.StringType.get(), Types.StringType.get())),
            optional(10, DATA, Types.StringType.get(), "the payload as JSON text, when it is JSON"),
            optional(11, DATA_BYTES, Types.BinaryType.get(), "the payload as bytes, when it is not JSON"),
            required(12, INGEST_TIME, Types.TimestampType.withZone(), "when Floe wrote the row"),
            optional(15, KAFKA, KAFKA_TYPE, "the Kafka record the event came in, when it came from Kafka"));

    private EventTableLayout() {
    }
}
