package dev.floe.app.security;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.floe.app.FloeConfig;

/**
 * Checks a JWT with Nimbus JOSE+JWT: signature by a key of the issuer's JWKS (found through its OpenID discovery
 * document unless a JWKS URL is configured), an allow-listed asymmetric algorithm, iss, aud and exp (with nbf) within
 * the clock skew. The keys are fetched on first use, cached, and fetched again when a token names an unknown key.
 */
final class JwtVerifier {

    private static final Set<JWSAlgorithm> ASYMMETRIC = new HashSet<>();

    static {
        ASYMMETRIC.addAll(JWSAlgorithm.Family.RSA);
        ASYMMETRIC.addAll(JWSAlgorithm.Family.EC);
    }

    private final FloeConfig.Jwt config;
    private final String issuer;
    private final ResourceRetriever retriever = new DefaultResourceRetriever(2000, 2000, 256 * 1024);
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private JWKSource<SecurityContext> keys;
    private long nextDiscovery;
    private static final long DISCOVERY_RETRY_MS = 10_000;

    JwtVerifier(FloeConfig.Jwt config) {
        this.config = config;
        this.issuer = config.issuer().orElseThrow();
        String audience = config.audience().orElseThrow(() -> new IllegalArgumentException(
                "floe.http.auth.jwt.audience is required with floe.http.auth.jwt.issuer"));
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        for (String name : config.algorithms()) {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(name.trim());
            // none and HMAC would let anyone who knows the public key (or no key) sign
            if (!ASYMMETRIC.contains(algorithm)) {
                throw new IllegalArgumentException("floe.http.auth.jwt.algorithms: " + name
                        + " is not an accepted asymmetric signature algorithm");
            }
            algorithms.add(algorithm);
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, this::selectKeys));
        // RFC 9068 access tokens say typ at+jwt; Nimbus' default accepts only JWT or no typ
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", config.principalClaim()));
        claims.setMaxClockSkew(config.clockSkewSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The token's principal claim. */
    String principalOf(String token) {
        try {
            Object principal = processor.process(token, null).getClaim(config.principalClaim());
            return principal.toString();
        } catch (ParseException e) {
            throw new UnauthenticatedException("the bearer token is not a JWT", true);
        } catch (KeySourceException e) {
            throw new AuthenticationUnavailableException("the token issuer's keys could not be fetched", e);
        } catch (BadJOSEException | JOSEException e) {
            throw new UnauthenticatedException(e.getMessage(), true);
        }
    }

    private List<JWK> selectKeys(JWKSelector selector, SecurityContext context) throws KeySourceException {
        return keys().get(selector, context);
    }

    private synchronized JWKSource<SecurityContext> keys() throws KeySourceException {
        if (keys == null) {
            // while the issuer cannot be reached, ask it at most every DISCOVERY_RETRY_MS: every request waiting on
            // this lock for a fresh try would hold all bearer logins (and hammer the issuer)
            long now = System.currentTimeMillis();
            if (now < nextDiscovery) {
                throw new AuthenticationUnavailableException("the issuer's discovery document could not be read"
                        + " recently; trying again shortly", null);
            }
            nextDiscovery = now + DISCOVERY_RETRY_MS;
            URL jwks = config.jwksUrl().map(JwtVerifier::url).orElseGet(this::discoverJwksUrl);
            keys = JWKSourceBuilder.create(jwks, retriever).build();
        }
        return keys;
    }

    /** OpenID Connect Discovery 1.0: the document must name the issuer we trust. */
    private URL discoverJwksUrl() {
        String location = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
        try {
            Map<String, Object> document = JSONObjectUtils
                    .parse(retriever.retrieveResource(url(location)).getContent());
            if (!issuer.equals(document.get("issuer"))) {
                throw new IllegalStateException("the discovery document at " + location + " names issuer "
                        + document.get("issuer") + ", not " + issuer);
            }
            return url(JSONObjectUtils.getString(document, "jwks_uri"));
        } catch (IOException | ParseException | RuntimeException e) {
            throw new AuthenticationUnavailableException("the issuer's discovery document could not be read: "
                    + e.getMessage(), e);
        }
    }

    private static URL url(String location) {
        try {
            return URI.create(location).toURL();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + location, e);
        }
    }
}
