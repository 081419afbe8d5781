package dev.floe.camel.iceberg.cloudevents;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a {@code ce-} header value as the CloudEvents HTTP binding (v1.0.2, 3.1.3.2) says: first undo an RFC 7230
 * quoted-string, then one round of percent-decoding whose bytes must be valid UTF-8 (overlong forms rejected).
 * java.net.URLDecoder is not used because it turns '+' into a space and accepts malformed UTF-8.
 */
public final class HeaderValueDecoder {

    private HeaderValueDecoder() {
    }

    /** @throws IllegalArgumentException with a reason when the value cannot be decoded */
    public static String decode(String raw) {
        String value = raw.strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = unquote(value.substring(1, value.length() - 1));
        }
        return percentDecode(value);
    }

    private static String unquote(String quoted) {
        StringBuilder sb = new StringBuilder(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\') {
                if (++i == quoted.length()) {
                    throw new IllegalArgumentException("quoted value ends with a lone backslash");
                }
                sb.append(quoted.charAt(i));
            } else if (c == '"') {
                throw new IllegalArgumentException("unescaped double quote inside a quoted value");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    throw new IllegalArgumentException("truncated percent-encoding");
                }
                int hi = Character.digit(value.charAt(i + 1), 16);
                int lo = Character.digit(value.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("invalid percent-encoding '" + value.substring(i, i + 3) + "'");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-encoded bytes are not valid UTF-8");
        }
    }
}
