package dev.floe.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticTokensTest {

    @TempDir
    Path dir;

    @Test
    void tokensAreKnownByNameAndReReadWhenTheFileChanges() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# senders\nci-bot=abc123\nbackfill = def456 \nempty=\n");
        StaticTokens tokens = new StaticTokens(file);
        assertThat(tokens.nameOf("abc123")).contains("ci-bot");
        assertThat(tokens.nameOf("def456")).contains("backfill");
        assertThat(tokens.nameOf("abc12")).isEmpty();
        assertThat(tokens.nameOf("")).isEmpty();

        Files.writeString(file, "ci-bot=rotated\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(tokens.nameOf("abc123")).isEmpty();
        assertThat(tokens.nameOf("rotated")).contains("ci-bot");

        // a Secret briefly absent while it is swapped: the tokens we have stay
        Files.delete(file);
        assertThat(tokens.nameOf("rotated")).contains("ci-bot");
    }

    @Test
    void aMissingFileFailsTheStart() {
        assertThatThrownBy(() -> new StaticTokens(dir.resolve("absent")))
                .hasMessageContaining("floe.http.auth.static-tokens-file");
    }
}
