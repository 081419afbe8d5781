package dev.floe.camel.iceberg.cloudevents;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

/**
 * Refuses a duplicate member name in any object of sender JSON, as Jackson's {@code STRICT_DUPLICATE_DETECTION} does
 * and with its message, without its cost: that feature allocates a {@code HashSet} for every object of three or more
 * members, half of what reading a structured event allocated (bench/RESULTS.md). Here each nesting level keeps a
 * small array of names, reused from object to object, and takes a set only for objects with many members, so that a
 * sender's object of 100,000 names costs linear time, not quadratic.
 * <p>
 * Every token goes through {@link #nextToken()}, {@link #skipChildren()} included, so no object is skipped unchecked.
 */
final class UniqueNamesParser extends JsonParserDelegate {

    private static final int SCANNED = 16;

    private Names[] levels = new Names[8];
    private int depth;

    UniqueNamesParser(JsonParser parser) {
        super(parser);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken token = delegate.nextToken();
        if (token == JsonToken.FIELD_NAME) {
            if (depth > 0 && !levels[depth - 1].add(delegate.currentName())) {
                throw new JsonParseException(this, "Duplicate field '" + delegate.currentName() + "'");
            }
        } else if (token == JsonToken.START_OBJECT) {
            enter();
        } else if (token == JsonToken.END_OBJECT) {
            depth--;
        }
        return token;
    }

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken token = nextToken();
        return token == JsonToken.FIELD_NAME ? nextToken() : token;
    }

    @Override
    public JsonParser skipChildren() throws IOException {
        if (delegate.currentToken() != JsonToken.START_OBJECT && delegate.currentToken() != JsonToken.START_ARRAY) {
            return this;
        }
        int open = 1;
        while (open > 0) {
            JsonToken token = nextToken();
            if (token == null) {
                return this;
            }
            if (token.isStructStart()) {
                open++;
            } else if (token.isStructEnd()) {
                open--;
            }
        }
        return this;
    }

    private void enter() {
        if (depth == levels.length) {
            levels = Arrays.copyOf(levels, depth * 2);
        }
        if (levels[depth] == null) {
            levels[depth] = new Names();
        }
        levels[depth++].clear();
    }

    /** The names of one open object. */
    private static final class Names {

        private final String[] first = new String[SCANNED];
        private int count;
        private Set<String> more;

        void clear() {
            count = 0;
            more = null;
        }

        /** False when the object has the name already. */
        boolean add(String name) {
            int scanned = Math.min(count, SCANNED);
            for (int i = 0; i < scanned; i++) {
                if (first[i].equals(name)) {
                    return false;
                }
            }
            if (count < SCANNED) {
                first[count++] = name;
                return true;
            }
            if (more == null) {
                more = new HashSet<>();
            }
            count++;
            return more.add(name);
        }
    }
}
