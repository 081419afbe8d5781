package dev.floe.app.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import dev.floe.app.FloeConfig;
import io.grpc.netty.GrpcSslContexts;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest ports' TLS (HTTP, and gRPC through {@link #http2Context}): a Netty {@link SslContext} built from PEM files
 * or a keystore, rebuilt when their content changes (checked at most every {@code floe.http.tls.reload-interval-ms}, on
 * a new connection), so a renewed certificate is served to new connections without a restart. A file that cannot be
 * read keeps the previous context.
 * <p>
 * Camel's {@code sslContextParameters} builds its context once per consumer, hence this holder.
 */
@Singleton
public class IngestTls {

    private static final Logger LOG = LoggerFactory.getLogger(IngestTls.class);

    @Inject
    FloeConfig config;

    private FloeConfig.Tls tls;
    private volatile SslContext context;
    /** The same certificate for HTTP/2 with ALPN, as gRPC needs it. */
    private volatile SslContext http2Context;
    private byte[] filesDigest;
    private long nextCheckNanos;

    @PostConstruct
    void init() throws GeneralSecurityException, IOException {
        tls = config.http().tls();
        if (!tls.enabled()) {
            return;
        }
        boolean pem = tls.certificateFile().isPresent() || tls.keyFile().isPresent();
        if (pem == tls.keystoreFile().isPresent()
                || pem && (tls.certificateFile().isEmpty() || tls.keyFile().isEmpty())) {
            throw new IllegalArgumentException("floe.http.tls.enabled needs either certificate-file and key-file (PEM)"
                    + " or keystore-file");
        }
        if (!tls.allowedSubjects().isEmpty() && tls.clientCaFile().isEmpty()) {
            throw new IllegalArgumentException("floe.http.tls.allowed-subjects needs floe.http.tls.client-ca-file");
        }
        filesDigest = digest();
        context = build(); // a bad configuration fails the start
        http2Context = buildHttp2();
        nextCheckNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(tls.reloadIntervalMs());
    }

    public boolean enabled() {
        return tls.enabled();
    }

    /** A handler for one new connection, with the current certificate. */
    public SslHandler newHandler(ByteBufAllocator allocator) {
        reloadIfChanged();
        return context.newHandler(allocator);
    }

    private synchronized void reloadIfChanged() {
        long now = System.nanoTime();
        if (now - nextCheckNanos < 0) {
            return;
        }
        nextCheckNanos = now + TimeUnit.MILLISECONDS.toNanos(tls.reloadIntervalMs());
        try {
            byte[] digest = digest();
            if (!MessageDigest.isEqual(digest, filesDigest)) {
                context = build();
                http2Context = buildHttp2();
                filesDigest = digest;
                LOG.info("Reloaded the ingest port's TLS certificate from {}", files());
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            LOG.warn("Kept the previous TLS certificate: the files could not be loaded ({})", e.getMessage());
        }
    }

    private List<Path> files() {
        return Stream.of(tls.certificateFile(), tls.keyFile(), tls.keystoreFile(), tls.clientCaFile())
                .flatMap(Optional::stream).map(Path::of).toList();
    }

    private byte[] digest() throws IOException, GeneralSecurityException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Path file : files()) {
            sha.update(Files.readAllBytes(file));
        }
        return sha.digest();
    }

    /**
     * The current context for the gRPC port: the same certificate, client CA and allowed subjects as the HTTP port's,
     * negotiating HTTP/2 by ALPN; reloaded as {@link #newHandler} is.
     */
    public SslContext http2Context() {
        reloadIfChanged();
        return http2Context;
    }

    private SslContext build() throws IOException, GeneralSecurityException {
        return builder().build();
    }

    private SslContext buildHttp2() throws IOException, GeneralSecurityException {
        return GrpcSslContexts.configure(builder()).build();
    }

    private SslContextBuilder builder() throws IOException, GeneralSecurityException {
        SslContextBuilder builder;
        if (tls.keystoreFile().isPresent()) {
            char[] password = tls.keystorePassword().orElse("").toCharArray();
            KeyStore store = KeyStore.getInstance(tls.keystoreType());
            try (InputStream in = Files.newInputStream(Path.of(tls.keystoreFile().get()))) {
                store.load(in, password);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            builder = SslContextBuilder.forServer(keys);
        } else {
            try (InputStream cert = Files.newInputStream(Path.of(tls.certificateFile().get()));
                    InputStream key = Files.newInputStream(Path.of(tls.keyFile().get()))) {
                builder = SslContextBuilder.forServer(cert, key);
            }
        }
        builder.protocols(tls.protocols());
        if (tls.clientCaFile().isPresent()) {
            builder.trustManager(clientTrust(Path.of(tls.clientCaFile().get()))).clientAuth(ClientAuth.REQUIRE);
        }
        return builder;
    }

    private TrustManager clientTrust(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore cas = KeyStore.getInstance(KeyStore.getDefaultType());
        cas.load(null, null);
        List<Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate in floe.http.tls.client-ca-file " + caFile);
        }
        for (int i = 0; i < certificates.size(); i++) {
            cas.setCertificateEntry("ca-" + i, certificates.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(cas);
        X509ExtendedTrustManager ca = Arrays.stream(factory.getTrustManagers())
                .filter(X509ExtendedTrustManager.class::isInstance).map(X509ExtendedTrustManager.class::cast)
                .findFirst().orElseThrow();
        Set<String> allowed = tls.allowedSubjects().values().stream().map(SubjectAllowListTrustManager::canonical)
                .collect(Collectors.toSet());
        return new SubjectAllowListTrustManager(ca, allowed);
    }
}
