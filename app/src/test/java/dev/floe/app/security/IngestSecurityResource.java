package dev.floe.app.security;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Everything the secured ingest port needs, made fresh: a CA with a server certificate and client certificates
 * ({@link TestCertificates}), an OpenID issuer (discovery document and JWKS served by a JDK HttpServer) with its
 * signing keys, and a static token file. Tests find the keys and stores in {@link #DIR}.
 */
public class IngestSecurityResource implements QuarkusTestResourceLifecycleManager {

    static final Path DIR = Path.of("target/ingest-security");
    static final String AUDIENCE = "floe-ingest";
    static final String CI_TOKEN = "ci-9f2c1e7a4b";
    static final String ALLOWED_CLIENT = "CN=allowed-sender,O=Floe Test";
    static final String STRANGER_CLIENT = "CN=stranger,O=Floe Test";

    /** The gRPC port, on with the same security settings (floe.http.tls.*, floe.http.auth.*). */
    static int grpcPort;

    private HttpServer issuer;

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(DIR);
            try (var old = Files.list(DIR)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
            TestCertificates certificates = TestCertificates.create(DIR);
            certificates.issue("server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
            certificates.writePem("server", DIR.resolve("tls.crt"), DIR.resolve("tls.key"));
            certificates.issue("allowed", ALLOWED_CLIENT);
            certificates.issue("stranger", STRANGER_CLIENT);

            RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").keyUse(KeyUse.SIGNATURE).generate();
            ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").keyUse(KeyUse.SIGNATURE).generate();
            Files.writeString(DIR.resolve("issuer-keys.json"), new JWKSet(java.util.List.of(rsa, ec)).toString(false));
            byte[] jwks = new JWKSet(java.util.List.of(rsa, ec)).toPublicJWKSet().toString().getBytes(
                    StandardCharsets.UTF_8);

            issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String url = "http://127.0.0.1:" + issuer.getAddress().getPort() + "/realms/floe";
            byte[] discovery = ("{\"issuer\":\"" + url + "\",\"jwks_uri\":\"" + url + "/keys\"}")
                    .getBytes(StandardCharsets.UTF_8);
            issuer.createContext("/realms/floe/.well-known/openid-configuration", e -> json(e, discovery));
            issuer.createContext("/realms/floe/keys", e -> json(e, jwks));
            issuer.start();
            Files.writeString(DIR.resolve("issuer-url"), url);

            Files.writeString(DIR.resolve("tokens"), "ci-bot=" + CI_TOKEN + "\n");

            Map<String, String> c = new HashMap<>();
            c.put("floe.data-dir", "target/ingest-security-data");
            c.put("floe.http.tls.enabled", "true");
            c.put("floe.http.tls.certificate-file", DIR.resolve("tls.crt").toString());
            c.put("floe.http.tls.key-file", DIR.resolve("tls.key").toString());
            c.put("floe.http.tls.client-ca-file", certificates.caPem().toString());
            c.put("floe.http.tls.allowed-subjects.sender", ALLOWED_CLIENT);
            c.put("floe.http.tls.reload-interval-ms", "100");
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                grpcPort = socket.getLocalPort();
            }
            c.put("floe.grpc.enabled", "true");
            c.put("floe.grpc.port", String.valueOf(grpcPort));
            c.put("floe.http.auth.jwt.issuer", url);
            c.put("floe.http.auth.jwt.audience", AUDIENCE);
            c.put("floe.http.auth.static-tokens-file", DIR.resolve("tokens").toString());
            c.put("floe.table", "secure.events");
            c.put("floe.routing.rules.\"com.example.order.*\"", "secure.orders");
            c.put("floe.routing.rules.\"com.example.audit\"", "secure.audit");
            // typed columns learnt from the events: a request a sender may not send must teach it nothing
            c.put("floe.tables.\"secure.audit\".schema-mode", "inferred");
            c.put("floe.authorization.grants.orders.principal", "orders-writer");
            c.put("floe.authorization.grants.orders.types", "com.example.order.*");
            c.put("floe.authorization.grants.orders.tables", "secure.orders");
            c.put("floe.authorization.grants.ci.principal", "ci-bot");
            c.put("floe.authorization.grants.ci.sources", "/ci/*");
            c.put("floe.authorization.grants.ci.tables", "secure.audit,secure.orders");
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void json(HttpExchange exchange, byte[] body) throws java.io.IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void stop() {
        if (issuer != null) {
            issuer.stop(0);
        }
    }
}
