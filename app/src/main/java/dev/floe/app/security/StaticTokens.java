package dev.floe.app.security;

import java.io.IOException;
import java.io.Reader;
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
            // a Kubernetes Secret update swaps a symlink: the target's time changes
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(loaded)) {
                return;
            }
            Properties tokens = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                tokens.load(in);
            }
            Map<String, byte[]> next = new LinkedHashMap<>();
            tokens.forEach((name, token) -> {
                if (!token.toString().isBlank()) {
                    next.put(name.toString(), sha256(token.toString().strip()));
                }
            });
            digests = next;
            loaded = modified;
        } catch (IOException e) {
            if (loaded == null) {
                throw new IllegalArgumentException(
                        "floe.http.auth.static-tokens-file cannot be read: " + e.getMessage(), e);
            }
            // keep the tokens we have: a Secret being swapped is briefly absent
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
