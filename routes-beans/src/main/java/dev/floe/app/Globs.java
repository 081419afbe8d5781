package dev.floe.app;

import java.util.regex.Pattern;

/** The globs of Floe's configuration (routing rules, authorization grants): {@code *} matches anything. */
public final class Globs {

    private Globs() {
    }

    /** A glob where * matches anything and every other character is literal. */
    public static Pattern of(String glob) {
        return Pattern.compile(Pattern.quote(glob).replace("*", "\\E.*\\Q"));
    }
}
