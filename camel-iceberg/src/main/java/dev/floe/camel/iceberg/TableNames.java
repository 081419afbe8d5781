package dev.floe.camel.iceberg;

import java.util.regex.Pattern;

import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Checks table identifiers before they reach a catalog, so that no path or identifier is ever built from unchecked
 * text (a header set from an event, a route placeholder).
 */
public final class TableNames {

    private static final Pattern IDENTIFIER = Pattern
            .compile("[A-Za-z_][A-Za-z0-9_]{0,127}(\\.[A-Za-z_][A-Za-z0-9_]{0,127}){1,3}");

    private TableNames() {
    }

    /**
     * Parses namespace.table (a namespace may have up to three levels).
     *
     * @throws IllegalArgumentException when the text is not such an identifier
     */
    public static TableIdentifier parse(String text) {
        if (text == null || !IDENTIFIER.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "Invalid Iceberg table identifier '" + abbreviate(text)
                            + "': expected namespace.table, each part letters, digits and underscores"
                            + " and not starting with a digit");
        }
        return TableIdentifier.parse(text);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
