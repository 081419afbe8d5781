package dev.floe.camel.iceberg;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;

/**
 * Lets {@code dev.floe.bench.ParseBench} convert rows with the component's package-private {@link RowConverter}, the
 * way {@link TableWriter} does, without making the converter public API.
 */
public final class BenchRows {

    private final RowConverter converter;

    public BenchRows(Schema schema) {
        this.converter = new RowConverter(schema, OffsetDateTime.now(ZoneOffset.UTC));
    }

    public Record convert(Object row) {
        return converter.convert(row);
    }
}
