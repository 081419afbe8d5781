package dev.floe.app.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class JwtVerifierTest {

    private static JwtVerifier verifier(Map<String, String> properties) {
        return new JwtVerifier(TestConfig.of(properties).http().auth().jwt());
    }

    @Test
    void onlyAsymmetricAlgorithmsAndAnAudienceAreAccepted() {
        assertThatThrownBy(() -> verifier(Map.of("floe.http.auth.jwt.issuer", "https://idp.example",
                "floe.http.auth.jwt.audience", "floe", "floe.http.auth.jwt.algorithms", "RS256,HS256")))
                .hasMessageContaining("HS256 is not an accepted asymmetric signature algorithm");
        assertThatThrownBy(() -> verifier(Map.of("floe.http.auth.jwt.issuer", "https://idp.example",
                "floe.http.auth.jwt.audience", "floe", "floe.http.auth.jwt.algorithms", "none")))
                .hasMessageContaining("none is not an accepted");
        assertThatThrownBy(() -> verifier(Map.of("floe.http.auth.jwt.issuer", "https://idp.example")))
                .hasMessageContaining("floe.http.auth.jwt.audience is required");
    }
}
