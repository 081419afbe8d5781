package dev.floe.camel.iceberg.cloudevents;

/**
 * One broken rule: where (an attribute name, or a JSON pointer into a batch) and why; {@code limit} when the rule is a
 * configured cap on size or count rather than the CloudEvents spec.
 */
public record Violation(String attribute, String reason, boolean limit) {

    public Violation(String attribute, String reason) {
        this(attribute, reason, false);
    }

    /** A configured cap was exceeded. */
    public static Violation limit(String attribute, String reason) {
        return new Violation(attribute, reason, true);
    }
}
