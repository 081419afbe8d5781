package dev.floe.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnauthenticatedExceptionTest {

    @Test
    void theChallengeNeverBreaksItsQuotes() {
        assertThat(new UnauthenticatedException("bad \"aud\" \\ x", true).challenge())
                .isEqualTo("Bearer realm=\"floe\", error=\"invalid_token\", error_description=\"bad 'aud' ' x\"");
        assertThat(new UnauthenticatedException("none", false).challenge()).isEqualTo("Bearer realm=\"floe\"");
        assertThat(new UnauthenticatedException("JWT audience rejected: " + "a".repeat(10_000), true).challenge())
                .hasSizeLessThan(300);
    }
}
