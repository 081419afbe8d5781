package dev.floe.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.Map;

import javax.net.ssl.SSLSocket;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IngestTls from a PKCS12 keystore behind a real Netty server: real handshakes, the keystore replaced under it. */
class IngestTlsIT {

    @TempDir
    Path dir;

    private static IngestTls tls(Map<String, String> properties) throws Exception {
        IngestTls tls = new IngestTls();
        tls.config = TestConfig.of(properties);
        tls.init();
        return tls;
    }

    @Test
    void aReplacedKeystoreIsServedToNewConnectionsAndABrokenOneIsNot() throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        certificates.issue("first", "CN=localhost");
        certificates.issue("second", "CN=localhost");
        Path served = dir.resolve("served.p12");
        Files.copy(certificates.store("first"), served);
        IngestTls tls = tls(Map.of("floe.http.tls.enabled", "true", "floe.http.tls.keystore-file", served.toString(),
                "floe.http.tls.keystore-password", TestCertificates.PASSWORD, "floe.http.tls.reload-interval-ms", "0"));

        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {

                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(tls.newHandler(channel.alloc()));
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            BigInteger first = certificates.certificate("first").getSerialNumber();
            BigInteger second = certificates.certificate("second").getSerialNumber();
            assertThat(served(certificates, port)).isEqualTo(first);

            Path next = dir.resolve("next.p12");
            Files.copy(certificates.store("second"), next);
            Files.move(next, served, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertThat(served(certificates, port)).isEqualTo(second);

            Files.writeString(served, "not a keystore");
            assertThat(served(certificates, port)).isEqualTo(second);
            server.close().sync();
        } finally {
            group.shutdownGracefully().sync();
        }
    }

    private static BigInteger served(TestCertificates certificates, int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) certificates.clientContext(null).getSocketFactory()
                .createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    void anIncompleteConfigurationFailsTheStart() {
        assertThatThrownBy(() -> tls(Map.of("floe.http.tls.enabled", "true")))
                .hasMessageContaining("certificate-file and key-file");
        assertThatThrownBy(() -> tls(Map.of("floe.http.tls.enabled", "true", "floe.http.tls.certificate-file", "c")))
                .hasMessageContaining("certificate-file and key-file");
        assertThatThrownBy(() -> tls(Map.of("floe.http.tls.enabled", "true", "floe.http.tls.keystore-file", "k",
                "floe.http.tls.allowed-subjects.a", "CN=a")))
                .hasMessageContaining("client-ca-file");
    }
}
