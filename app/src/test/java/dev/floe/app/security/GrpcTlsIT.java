package dev.floe.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.floe.app.Tables;
import dev.floe.grpc.v1.CloudEventServiceGrpc;
import dev.floe.testing.CloudEventServiceClient;
import dev.floe.testing.ProtobufEvents;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;

/**
 * The gRPC port with the HTTP port's TLS settings (floe.http.tls.*: certificate, client CA, allowed subjects), with real
 * grpc-java clients over TLS: it is never clear text beside a TLS HTTP port, and refuses the clients the HTTP port
 * refuses.
 */
@QuarkusTest
@TestProfile(IngestSecurityIT.Secured.class)
class GrpcTlsIT {

    @Inject
    Catalog catalog;

    private static ManagedChannel tls(String clientCertificate) throws Exception {
        TestCertificates certificates = TestCertificates.existing(IngestSecurityResource.DIR);
        SslContextBuilder context = GrpcSslContexts.forClient().trustManager(certificates.trustManagers());
        if (clientCertificate != null) {
            context.keyManager(certificates.keyManagers(clientCertificate));
        }
        return NettyChannelBuilder.forAddress("127.0.0.1", IngestSecurityResource.grpcPort)
                .sslContext(context.build()).build();
    }

    /** A Publish with the static token of ci-bot, which may send sources /ci/* to secure.audit. */
    private static void publish(ManagedChannel channel, String id) {
        try {
            CloudEventServiceGrpc
                    .newBlockingStub(CloudEventServiceClient.withToken(channel, IngestSecurityResource.CI_TOKEN))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .publish(ProtobufEvents.event(id, "/ci/grpc", "com.example.audit").build());
        } finally {
            channel.shutdownNow();
        }
    }

    private static Status.Code refused(ManagedChannel channel, String id) {
        try {
            publish(channel, id);
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void anAllowedClientCertificatePublishesOverTls() throws Exception {
        String id = "grpc-tls-" + UUID.randomUUID();
        publish(tls("allowed"), id);
        assertThat(Tables.rowsWithIdPrefix(catalog, "secure.audit", id)).hasSize(1);
    }

    @Test
    void clientsTheHttpPortRefusesAreRefusedAndWriteNothing() throws Exception {
        String p = "grpc-refused-" + UUID.randomUUID() + "-";
        // signed by the trusted CA, but not on floe.http.tls.allowed-subjects
        assertThat(refused(tls("stranger"), p + "stranger")).isEqualTo(Status.Code.UNAVAILABLE);
        // no client certificate at all
        assertThat(refused(tls(null), p + "anonymous")).isEqualTo(Status.Code.UNAVAILABLE);
        // clear text on the TLS port
        assertThat(refused(NettyChannelBuilder.forAddress("127.0.0.1", IngestSecurityResource.grpcPort)
                .usePlaintext().build(), p + "plain")).isEqualTo(Status.Code.UNAVAILABLE);
        publish(tls("allowed"), p + "allowed");
        assertThat(Tables.rowsWithIdPrefix(catalog, "secure.audit", p)).extracting(r -> r.getField("id"))
                .containsExactly(p + "allowed");
    }

    @Test
    void aRenewedCertificateReachesNewConnections() throws Exception {
        TestCertificates certificates = TestCertificates.existing(IngestSecurityResource.DIR);
        certificates.issue("server-grpc-renewed", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
        certificates.writePem("server-grpc-renewed", IngestSecurityResource.DIR.resolve("tls.crt"),
                IngestSecurityResource.DIR.resolve("tls.key"));
        BigInteger renewed = certificates.certificate("server-grpc-renewed").getSerialNumber();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(servedCertificate().getSerialNumber()).isEqualTo(renewed));
        String id = "grpc-renewed-" + UUID.randomUUID();
        publish(tls("allowed"), id);
        assertThat(Tables.rowsWithIdPrefix(catalog, "secure.audit", id)).hasSize(1);
    }

    /** The certificate a fresh handshake on the gRPC port gets. */
    private static X509Certificate servedCertificate() throws Exception {
        SSLContext context = TestCertificates.existing(IngestSecurityResource.DIR).clientContext("allowed");
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
                IngestSecurityResource.grpcPort)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
