package dev.floe.app;

import org.apache.camel.Message;

/** What every dead letter says about why it is one, whatever its source. */
public final class DeadLetters {

    public static final String REASON = "floe_error_reason";
    public static final String ERROR_TYPE = "floe_error_type";
    private static final int MAX_REASON = 2000;

    private DeadLetters() {
    }

    /** Sets floe_error_reason (the message, clipped) and floe_error_type on the dead letter. */
    public static void describe(Message deadLetter, Throwable cause) {
        String reason = cause == null ? "unknown" : String.valueOf(cause.getMessage());
        deadLetter.setHeader(REASON, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "..." : reason);
        deadLetter.setHeader(ERROR_TYPE, type(cause));
    }

    /** The cause's simple class name, the reason tag of floe_dead_letters_total. */
    public static String type(Throwable cause) {
        return cause == null ? "unknown" : cause.getClass().getSimpleName();
    }
}
