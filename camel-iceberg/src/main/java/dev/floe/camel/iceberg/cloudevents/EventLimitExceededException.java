package dev.floe.camel.iceberg.cloudevents;

import java.util.List;

/**
 * The input exceeds a configured cap (an attribute's size, the number of extensions, the depth or size of its JSON...).
 * Still an invalid CloudEvent, so every source refuses it the same way; HTTP answers 413 rather than 400 because the
 * sender must send less, not something else.
 */
public class EventLimitExceededException extends InvalidCloudEventException {

    public EventLimitExceededException(List<Violation> violations) {
        super(violations);
    }

    public EventLimitExceededException(String attribute, String reason) {
        this(List.of(Violation.limit(attribute, reason)));
    }
}
