package dev.floe.camel.iceberg.cloudevents;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads an RFC 3339 date-time (section 5.6, 'T' and 'Z' in either case, any fraction up to nanoseconds) by position.
 * <p>
 * {@code OffsetDateTime.parse} did the same behind a regex and cost a quarter of the time of reading a whole event (its
 * resolver fills and cross-checks hash maps for every value); the fields are fixed-width, so they are read directly and
 * {@link OffsetDateTime#of} still checks the calendar (no 30 February, no hour 24).
 */
final class Rfc3339 {

    private static final int[] NANOS_SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100,
            10, 1};

    private Rfc3339() {
    }

    /** The time, or null when the text is not an RFC 3339 date-time. */
    static OffsetDateTime parse(String text) {
        int n = text.length();
        // yyyy-mm-ddThh:mm:ss is 19 characters, then at least "Z"
        if (n < 20 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 2) || text.charAt(7) != '-'
                || !digits(text, 8, 2) || (text.charAt(10) != 'T' && text.charAt(10) != 't') || !digits(text, 11, 2)
                || text.charAt(13) != ':' || !digits(text, 14, 2) || text.charAt(16) != ':' || !digits(text, 17, 2)) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < n && isDigit(text.charAt(at))) {
                at++;
            }
            int fraction = at - start;
            if (fraction == 0 || fraction > 9) {
                return null; // java.time holds nanoseconds; a finer fraction would be cut silently
            }
            nanos = number(text, start, fraction) * NANOS_SCALE[fraction];
        }
        ZoneOffset offset = offset(text, at);
        if (offset == null) {
            return null;
        }
        try {
            return OffsetDateTime.of(number(text, 0, 4), number(text, 5, 2), number(text, 8, 2), number(text, 11, 2),
                    number(text, 14, 2), number(text, 17, 2), nanos, offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** "Z", or "+hh:mm" / "-hh:mm" ending the text. */
    private static ZoneOffset offset(String text, int at) {
        int n = text.length();
        if (at == n - 1 && (text.charAt(at) == 'Z' || text.charAt(at) == 'z')) {
            return ZoneOffset.UTC;
        }
        char sign = at < n ? text.charAt(at) : 0;
        if ((sign != '+' && sign != '-') || at + 6 != n || !digits(text, at + 1, 2) || text.charAt(at + 3) != ':'
                || !digits(text, at + 4, 2)) {
            return null;
        }
        int minutes = number(text, at + 4, 2);
        if (minutes > 59) {
            return null;
        }
        int seconds = (number(text, at + 1, 2) * 60 + minutes) * 60;
        try {
            return ZoneOffset.ofTotalSeconds(sign == '-' ? -seconds : seconds);
        } catch (DateTimeException e) {
            return null; // beyond +-18:00
        }
    }

    private static boolean digits(String text, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
