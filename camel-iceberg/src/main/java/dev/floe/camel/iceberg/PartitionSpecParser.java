package dev.floe.camel.iceberg;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;

/**
 * Parses a partition spec written as comma-separated transforms, e.g. {@code day(time), bucket(16, source)}.
 * Iceberg has no public parser for this text form, so this small one exists.
 */
final class PartitionSpecParser {

    private static final Pattern TERM = Pattern.compile(
            "\\s*(?:([a-z]+)\\(\\s*(?:(\\d+)\\s*,\\s*)?([A-Za-z_][A-Za-z0-9_.]*)\\s*\\)|([A-Za-z_][A-Za-z0-9_.]*))\\s*");

    private PartitionSpecParser() {
    }

    static PartitionSpec parse(Schema schema, String text) {
        if (text == null || text.isBlank()) {
            return PartitionSpec.unpartitioned();
        }
        PartitionSpec.Builder builder = PartitionSpec.builderFor(schema);
        for (String term : text.split(",(?![^(]*\\))")) {
            Matcher m = TERM.matcher(term);
            if (!m.matches()) {
                throw new IllegalArgumentException("Invalid partition term '" + term.trim() + "' in '" + text + "'");
            }
            if (m.group(4) != null) {
                builder.identity(m.group(4));
                continue;
            }
            String transform = m.group(1).toLowerCase(Locale.ROOT);
            String column = m.group(3);
            Integer width = m.group(2) == null ? null : Integer.valueOf(m.group(2));
            switch (transform) {
                case "identity" -> builder.identity(column);
                case "year", "years" -> builder.year(column);
                case "month", "months" -> builder.month(column);
                case "day", "days" -> builder.day(column);
                case "hour", "hours" -> builder.hour(column);
                case "bucket" -> builder.bucket(column, required(width, term));
                case "truncate" -> builder.truncate(column, required(width, term));
                default -> throw new IllegalArgumentException(
                        "Unknown partition transform '" + transform + "' in '" + text + "'");
            }
        }
        return builder.build();
    }

    private static int required(Integer width, String term) {
        if (width == null) {
            throw new IllegalArgumentException(
                    "Partition term '" + term.trim() + "' needs a width, e.g. bucket(16, col)");
        }
        return width;
    }
}
