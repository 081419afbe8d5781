package dev.floe.camel.iceberg.cloudevents;

/**
 * One broken rule: where (an attribute name, or a JSON pointer into a batch) and why.
 */
public record Violation(String attribute, String reason) {
}
