package dev.floe.app.security;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Named static tokens from a properties file (name=token per line; a mounted Kubernetes Secret), re-read when the file
 * changes. Tokens are kept and compared as SHA-256 digests, every one of them, with {@link MessageDigest#isEqual}: how
 * long a check takes says nothing about how much of a token was right.
 */
final class StaticTokens {

    private final Path file;
    private Map<String, byte[]> digests = Map.of();
    private FileTime loaded;
    private long checkedAt;
    private byte[] contentDigest;
    private static final long RECHECK_MS = 5_000;

    StaticTokens(Path file) {
        this.file = file;
        reloadIfChanged(); // a missing or unreadable file fails the start
    }

    /** The name of the token, if it is one of the file's. */
    synchronized Optional<String> nameOf(String token) {
        reloadIfChanged();
        byte[] presented = sha256(token);
        String match = null;
        for (Map.Entry<String, byte[]> entry : digests.entrySet()) {
            if (MessageDigest.isEqual(presented, entry.getValue()) && match == null) {
                match = entry.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

    private void reloadIfChanged() {
        try {
            // a Kubernetes Secret update swaps a symlink: the target's time changes. An edit that keeps the time
            // (cp -p, rsync -t) is still seen within RECHECK_MS, by the content: a revoked token must not linger
            FileTime modified = Files.getLastModifiedTime(file);
            long now = System.currentTimeMillis();
            if (modified.equals(loaded) && now - checkedAt < RECHECK_MS) {
                return;
            }
            byte[] content = Files.readAllBytes(file);
            byte[] digest = sha256(content);
            checkedAt = now;
            loaded = modified;
            if (MessageDigest.isEqual(digest, contentDigest)) {
                return;
            }
            Properties tokens = new Properties();
            tokens.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
            Map<String, byte[]> next = new LinkedHashMap<>();
            tokens.forEach((name, token) -> {
                if (!token.toString().isBlank()) {
                    next.put(name.toString(), sha256(token.toString().strip()));
                }
            });
            digests = next;
            contentDigest = digest;
        } catch (IOException e) {
            if (contentDigest == null) {
                throw new IllegalArgumentException(
                        "floe.http.auth.static-tokens-file cannot be read: " + e.getMessage(), e);
            }
            // keep the tokens we have: a Secret being swapped is briefly absent
        }
    }

    private static byte[] sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
