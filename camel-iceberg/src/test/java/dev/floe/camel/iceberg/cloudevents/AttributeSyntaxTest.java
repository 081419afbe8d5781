package dev.floe.camel.iceberg.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The hand-written time, media type and extension name checks of the hot path accept exactly what the definitions
 * they replaced accept: the RFC 3339 pattern plus {@link OffsetDateTime#parse}, and the RFC 2046 pattern.
 */
class AttributeSyntaxTest {

    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            TOKEN + "/" + TOKEN + "(\\s*;\\s*" + TOKEN + "=(" + TOKEN + "|\"([^\"\\\\]|\\\\.)*\"))*\\s*");

    private static OffsetDateTime byTheBook(String text) {
        if (!RFC3339.matcher(text).matches()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeException e) {
            return null;
        }
    }

    @Property(tries = 3000)
    void timesAsOffsetDateTimeParsesThem(@ForAll("times") String text) {
        assertThat(EventAttributes.time(text)).isEqualTo(byTheBook(text));
    }

    @Property(tries = 2000)
    void mediaTypesAsThePatternSays(@ForAll("mediaTypes") String text) {
        assertThat(EventAttributes.isMediaType(text)).isEqualTo(MEDIA_TYPE.matcher(text).matches());
    }

    @Property(tries = 1000)
    void extensionNamesAsThePatternSays(@ForAll("names") String name) {
        assertThat(EventAttributes.isExtensionName(name)).isEqualTo(name.matches("[a-z0-9]+"));
    }

    /** Valid times with one character replaced, dropped or added here and there: the edges the parser must find. */
    @Provide
    Arbitrary<String> times() {
        Arbitrary<String> valid = Combinators.combine(
                Arbitraries.integers().between(0, 9999), Arbitraries.integers().between(0, 13),
                Arbitraries.integers().between(0, 32), Arbitraries.integers().between(0, 25),
                Arbitraries.integers().between(0, 61), Arbitraries.strings().numeric().ofMaxLength(11),
                Arbitraries.of("Z", "z", "+05:30", "-00:00", "+18:00", "-18:01", "+19:00", "+01:60", "", "+0530"),
                Arbitraries.of("T", "t", " "))
                .as((y, mo, d, h, mi, frac, off, t) -> String.format("%04d-%02d-%02d%s%02d:%02d:%02d%s%s", y, mo, d,
                        t, h, mi, mi, frac.isEmpty() ? "" : "." + frac, off));
        return Arbitraries.frequencyOf(
                Tuple.of(3, valid),
                Tuple.of(2, Combinators.combine(valid, Arbitraries.integers().between(0, 40),
                        Arbitraries.chars().with('0', '9', ':', '-', '.', '+', 'Z', 'x', '\u0661'))
                        .as((s, at, c) -> at < s.length() ? s.substring(0, at) + c + s.substring(at + 1) : s + c)),
                Tuple.of(1, Combinators.combine(valid, Arbitraries.integers().between(0, 40))
                        .as((s, at) -> s.substring(0, Math.min(at, s.length())))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(35)));
    }

    @Provide
    Arbitrary<String> mediaTypes() {
        return Arbitraries.oneOf(
                Arbitraries.of("application/json", "text/plain; charset=utf-8", "a/b", "/json", "json/", "a/b/c",
                        "application/cloudevents+json", "text/plain ", " text/plain", "x/y;q=\"a b\"", "a/é"),
                Arbitraries.strings().withChars("ab/;= \"\\+-.é\t").ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("az09AZ-_é").ofMaxLength(8),
                Arbitraries.strings().all().ofMaxLength(8));
    }
}
