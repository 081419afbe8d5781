package dev.floe.app.security;

import static dev.floe.app.security.IngestSecurityResource.AUDIENCE;
import static dev.floe.app.security.IngestSecurityResource.DIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.floe.app.Tables;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;

/**
 * The ingest port with everything on: TLS from PEM files, mutual TLS with an allow-list of client subjects, JWTs from an
 * OpenID issuer served in the test, a static token file, and grants of which sender may send what to which table. Real
 * handshakes, real signatures, rows read back with Iceberg's reader.
 */
@QuarkusTest
@TestProfile(IngestSecurityIT.Secured.class)
class IngestSecurityIT {

    public static class Secured implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IngestSecurityResource.class));
        }
    }

    static final URI FLOE = URI.create("https://127.0.0.1:18080/");
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Catalog catalog;

    /** What the resource made. */
    private static TestCertificates certificates() {
        return TestCertificates.existing(DIR);
    }

    private static HttpClient client(String clientCertificate) throws Exception {
        return HttpClient.newBuilder().sslContext(certificates().clientContext(clientCertificate))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> send(HttpClient client, String authorization, String id, String type,
            String source) throws Exception {
        return send(client, authorization, id, type, source, "{\"n\":1}");
    }

    private static HttpResponse<String> send(HttpClient client, String authorization, String id, String type,
            String source, String data) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(FLOE).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("ce-specversion", "1.0").header("ce-id", id)
                .header("ce-source", source).header("ce-type", type)
                .POST(HttpRequest.BodyPublishers.ofString(data));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String authorization, String id, String type) throws Exception {
        return send(client("allowed"), authorization, id, type, "/orders");
    }

    private static JWKSet issuerKeys() throws Exception {
        return JWKSet.parse(Files.readString(DIR.resolve("issuer-keys.json")));
    }

    private static String issuerUrl() throws IOException {
        return Files.readString(DIR.resolve("issuer-url"));
    }

    private static JWTClaimsSet.Builder claims(String subject) throws IOException {
        return new JWTClaimsSet.Builder().issuer(issuerUrl()).audience(AUDIENCE).subject(subject)
                .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 300_000));
    }

    private static String rs256(JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return "Bearer " + jwt.serialize();
    }

    private static String signed(JWTClaimsSet claims) throws Exception {
        return rs256(claims, (RSAKey) issuerKeys().getKeyByKeyId("rsa-1"));
    }

    private List<?> rows(String table, String prefix) {
        return Tables.rowsWithIdPrefix(catalog, table, prefix);
    }

    private static void assertUnauthorized(HttpResponse<String> response, String detail) throws Exception {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString()
                .startsWith("Bearer realm=\"floe\", error=\"invalid_token\"");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("detail").asText()).containsIgnoringCase(detail);
    }

    @Test
    void aValidTokenWritesItsEvents() throws Exception {
        String id = "ok-" + UUID.randomUUID();
        HttpResponse<String> response = send(signed(claims("orders-writer").build()), id, "com.example.order.paid");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        assertThat(rows("secure.orders", id)).hasSize(1);

        // an ES256 token of the same issuer works too
        SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(),
                claims("orders-writer").build());
        es.sign(new ECDSASigner(issuerKeys().getKeyByKeyId("ec-1").toECKey()));
        String id2 = "ok-es-" + UUID.randomUUID();
        assertThat(send("Bearer " + es.serialize(), id2, "com.example.order.paid").statusCode()).isEqualTo(204);
        assertThat(rows("secure.orders", id2)).hasSize(1);
    }

    @Test
    void aMissingTokenIsChallenged() throws Exception {
        String id = "none-" + UUID.randomUUID();
        HttpResponse<String> response = send(null, id, "com.example.order.paid");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"floe\"");
        assertThat(JSON.readTree(response.body()).get("title").asText()).isEqualTo("Unauthorized");
        assertThat(send("Basic b3JkZXJzOnNlY3JldA==", id, "com.example.order.paid").statusCode()).isEqualTo(401);
        assertThat(rows("secure.orders", id)).isEmpty();
    }

    @Test
    void badTokensAreRefusedAndWriteNothing() throws Exception {
        String p = "bad-" + UUID.randomUUID() + "-";
        Date past = new Date(System.currentTimeMillis() - 3_600_000);
        assertUnauthorized(send(signed(claims("orders-writer").issueTime(new Date(past.getTime() - 60_000))
                .expirationTime(past).build()), p + "expired", "com.example.order.paid"), "expired");
        assertUnauthorized(send(signed(claims("orders-writer").audience("someone-else").build()), p + "aud",
                "com.example.order.paid"), "audience");
        assertUnauthorized(send(signed(claims("orders-writer").issuer("https://evil.example").build()), p + "iss",
                "com.example.order.paid"), "iss");
        assertUnauthorized(send("Bearer " + new PlainJWT(claims("orders-writer").build()).serialize(), p + "none",
                "com.example.order.paid"), "");
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate(); // same kid, unknown key
        assertUnauthorized(send(rs256(claims("orders-writer").build(), stranger), p + "unknown-key",
                "com.example.order.paid"), "");
        RSAKey otherKid = new RSAKeyGenerator(2048).keyID("rsa-9").generate();
        assertUnauthorized(send(rs256(claims("orders-writer").build(), otherKid), p + "unknown-kid",
                "com.example.order.paid"), "");
        // HMAC keyed with the issuer's public key: the classic algorithm confusion
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                claims("orders-writer").build());
        hmac.sign(new MACSigner(issuerKeys().getKeyByKeyId("rsa-1").toRSAKey().toPublicKey().getEncoded()));
        assertUnauthorized(send("Bearer " + hmac.serialize(), p + "hmac", "com.example.order.paid"), "");
        assertUnauthorized(send("Bearer not-a-token", p + "garbage", "com.example.order.paid"), "");
        assertThat(rows("secure.orders", p)).isEmpty();
    }

    @Test
    void aSenderMaySendOnlyWhatItIsGranted() throws Exception {
        String p = "grant-" + UUID.randomUUID() + "-";
        String orders = signed(claims("orders-writer").build());
        HttpResponse<String> forbidden = send(orders, p + "audit", "com.example.audit");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        JsonNode problem = JSON.readTree(forbidden.body());
        assertThat(problem.get("title").asText()).isEqualTo("Forbidden");
        assertThat(problem.get("detail").asText()).contains("orders-writer", p + "audit", "com.example.audit",
                "secure.audit");

        // a batch with one allowed and one forbidden event writes neither
        String batch = "[" + event(p + "1", "com.example.order.paid", "/orders") + ","
                + event(p + "2", "com.example.unrouted", "/orders") + "]";
        HttpResponse<String> mixed = client("allowed").send(HttpRequest.newBuilder(FLOE)
                .header("Content-Type", "application/cloudevents-batch+json").header("Authorization", orders)
                .POST(HttpRequest.BodyPublishers.ofString(batch)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(mixed.statusCode()).isEqualTo(403);
        assertThat(mixed.body()).contains(p + "2", "secure.events");

        // the static token's sender: audit events from /ci/* only
        String ci = "Bearer " + IngestSecurityResource.CI_TOKEN;
        assertThat(send(client("allowed"), ci, p + "ci-audit", "com.example.audit", "/ci/build-7").statusCode())
                .isEqualTo(204);
        assertThat(send(client("allowed"), ci, p + "ci-elsewhere", "com.example.audit", "/prod").statusCode())
                .isEqualTo(403);
        assertUnauthorized(send(client("allowed"), "Bearer ci-9f2c1e7a4c", p + "ci-wrong", "com.example.audit",
                "/ci/build-7"), "");

        assertThat(Tables.rowsWithIdPrefix(catalog, "secure.audit", p)).extracting(r -> r.getField("id"))
                .containsExactly(p + "ci-audit");
        assertThat(rows("secure.orders", p)).isEmpty();
        assertThat(rows("secure.events", p)).isEmpty();
    }

    @Test
    void aForbiddenRequestTeachesAnInferredTableNothing() throws Exception {
        String p = "teach-" + UUID.randomUUID() + "-";
        // orders-writer has no grant for secure.audit (inferred columns): its refused event must not make n a string
        String orders = signed(claims("orders-writer").build());
        assertThat(send(client("allowed"), orders, p + "forbidden", "com.example.audit", "/orders",
                "{\"n\":\"text\",\"" + p.replace("-", "_") + "\":1}").statusCode()).isEqualTo(403);
        String ci = "Bearer " + IngestSecurityResource.CI_TOKEN;
        assertThat(send(client("allowed"), ci, p + "granted", "com.example.audit", "/ci/build-8", "{\"n\":2}")
                .statusCode()).isEqualTo(204);
        assertThat(Tables.rowsWithIdPrefix(catalog, "secure.audit", p)).extracting(r -> r.getField("id"))
                .containsExactly(p + "granted");
    }

    @Test
    void tokensStayOutOfLogsMetricsAndAnswers() throws Exception {
        String jwt = signed(claims("orders-writer").audience("someone-else").build());
        String ci = "Bearer " + IngestSecurityResource.CI_TOKEN;
        String id = "secret-" + UUID.randomUUID();
        HttpResponse<String> refused = send(jwt, id, "com.example.order.paid");
        HttpResponse<String> forbidden = send(client("allowed"), ci, id + "-ci", "com.example.audit", "/prod");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:19000/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("floe_events_rejected_total\\{[^}]*reason=\"unauthenticated\"")
                .containsPattern("floe_events_rejected_total\\{[^}]*reason=\"forbidden\"");
        String signature = jwt.substring(jwt.lastIndexOf('.') + 1);
        for (String output : List.of(metrics, refused.body(), refused.headers().map().toString(), forbidden.body(),
                Files.readString(java.nio.file.Path.of("target/floe-test.log")))) {
            assertThat(output).doesNotContain(IngestSecurityResource.CI_TOKEN).doesNotContain(signature);
        }
    }

    private static String event(String id, String type, String source) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + source + "\",\"type\":\"" + type
                + "\",\"data\":{}}";
    }

    @Test
    void clientsWithoutAnAllowedCertificateAreRefused() throws Exception {
        String p = "mtls-" + UUID.randomUUID() + "-";
        String token = signed(claims("orders-writer").build());
        // signed by the trusted CA, but not on floe.http.tls.allowed-subjects
        assertThatThrownBy(() -> send(client("stranger"), token, p + "stranger", "com.example.order.paid", "/o"))
                .isInstanceOf(IOException.class);
        // no client certificate at all
        assertThatThrownBy(() -> send(client(null), token, p + "anonymous", "com.example.order.paid", "/o"))
                .isInstanceOf(IOException.class);
        // clear text on the TLS port
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18080/"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThat(send(client("allowed"), token, p + "allowed", "com.example.order.paid", "/o").statusCode())
                .isEqualTo(204);
        assertThat(rows("secure.orders", p)).hasSize(1);
    }

    @Test
    void aReplacedCertificateIsServedToNewConnections() throws Exception {
        BigInteger before = servedCertificate().getSerialNumber();
        TestCertificates certificates = certificates();
        certificates.issue("server-renewed", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
        certificates.writePem("server-renewed", DIR.resolve("tls.crt"), DIR.resolve("tls.key"));
        BigInteger renewed = certificates.certificate("server-renewed").getSerialNumber();
        assertThat(renewed).isNotEqualTo(before);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(servedCertificate().getSerialNumber()).isEqualTo(renewed));
        // and it serves requests
        String id = "renewed-" + UUID.randomUUID();
        assertThat(send(signed(claims("orders-writer").build()), id, "com.example.order.paid").statusCode())
                .isEqualTo(204);
    }

    /** The certificate a fresh handshake gets. */
    private static X509Certificate servedCertificate() throws Exception {
        SSLContext context = certificates().clientContext("allowed");
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", 18080)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
