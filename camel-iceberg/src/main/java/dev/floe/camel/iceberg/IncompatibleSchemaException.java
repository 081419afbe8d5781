package dev.floe.camel.iceberg;

/**
 * An event's data does not fit the table's typed columns and no allowed evolution (new column, int to long, float to
 * double, required to optional) makes it fit.
 */
public class IncompatibleSchemaException extends IllegalArgumentException {

    public IncompatibleSchemaException(String message) {
        super(message);
    }
}
