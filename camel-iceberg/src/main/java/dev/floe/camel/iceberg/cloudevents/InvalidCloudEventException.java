package dev.floe.camel.iceberg.cloudevents;

import java.util.List;

/**
 * The input is not a valid CloudEvent (or batch of them). Carries every violation found, so a client can fix all of
 * them at once.
 */
public class InvalidCloudEventException extends RuntimeException {

    /** At most this many violations are kept and reported: the answer to a bad batch stays small. */
    public static final int MAX_LISTED = 100;

    private final List<Violation> violations;

    public InvalidCloudEventException(List<Violation> violations) {
        super(summary(violations));
        this.violations = List.copyOf(violations.size() > MAX_LISTED + 1
                ? violations.subList(0, MAX_LISTED + 1)
                : violations);
    }

    public InvalidCloudEventException(String attribute, String reason) {
        this(List.of(new Violation(attribute, reason)));
    }

    /** The exception for these violations: an {@link EventLimitExceededException} when any is over a cap. */
    public static InvalidCloudEventException of(List<Violation> violations) {
        return violations.stream().anyMatch(Violation::limit)
                ? new EventLimitExceededException(violations)
                : new InvalidCloudEventException(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String summary(List<Violation> violations) {
        StringBuilder sb = new StringBuilder("Invalid CloudEvent: ");
        for (int i = 0; i < violations.size() && i < 5; i++) {
            Violation v = violations.get(i);
            sb.append(i == 0 ? "" : "; ").append(v.attribute()).append(": ").append(v.reason());
        }
        if (violations.size() > 5) {
            sb.append("; and ").append(violations.size() - 5).append(" more");
        }
        return sb.toString();
    }
}
