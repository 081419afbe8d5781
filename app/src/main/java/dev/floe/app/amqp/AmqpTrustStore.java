package dev.floe.app.amqp;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.floe.app.FloeConfig;

/**
 * The TLS context for amqps:// from floe.amqp.trust-store-*: Qpid JMS takes trust stores only as URL options (password
 * included) or as a ready SSLContext, so Floe builds one with the JDK's own trust manager.
 */
final class AmqpTrustStore {

    private AmqpTrustStore() {
    }

    /** Empty without floe.amqp.trust-store-location: Qpid then uses the URL's transport options or the JVM default. */
    static Optional<SSLContext> sslContext(FloeConfig.Amqp amqp) {
        if (amqp.trustStoreLocation().isEmpty()) {
            return Optional.empty();
        }
        Path location = Path.of(amqp.trustStoreLocation().get());
        try (InputStream in = Files.newInputStream(location)) {
            KeyStore trusted = KeyStore.getInstance(amqp.trustStoreType());
            trusted.load(in, amqp.trustStorePassword().map(String::toCharArray).orElse(null));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return Optional.of(context);
        } catch (Exception e) {
            // the password is not in the message: only the file and what went wrong
            throw new IllegalStateException("cannot read the AMQP trust store " + location + " ("
                    + amqp.trustStoreType() + "): " + e.getClass().getSimpleName(), e);
        }
    }
}
