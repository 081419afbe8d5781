package dev.floe.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed server certificate for localhost and 127.0.0.1, made by the JDK's keytool (run as a process: the JDK
 * has no public API that signs a certificate): a PKCS12 key store for the broker, and a PKCS12 trust store holding
 * only that certificate for the clients.
 */
public final class TestCertificates {

    private final Path keyStore;
    private final Path trustStore;
    private final String password;

    private TestCertificates(Path keyStore, Path trustStore, String password) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.password = password;
    }

    /** Generates the key store and trust store in {@code dir} (created if missing). */
    public static TestCertificates generate(Path dir) {
        try {
            Files.createDirectories(dir);
            Path keyStore = dir.resolve("server.p12");
            Path trustStore = dir.resolve("trust.p12");
            Path cert = dir.resolve("server.crt");
            Files.deleteIfExists(keyStore);
            Files.deleteIfExists(trustStore);
            Files.deleteIfExists(cert);
            String password = "test-" + Long.toHexString(System.nanoTime());
            keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
            keytool("-exportcert", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", password,
                    "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(), "-storetype", "PKCS12",
                    "-keystore", trustStore.toString(), "-storepass", password);
            return new TestCertificates(keyStore, trustStore, password);
        } catch (Exception e) {
            throw new IllegalStateException("could not generate test certificates in " + dir, e);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }

    /** The broker's key store (PKCS12), with the key and certificate under the alias {@code server}. */
    public Path keyStore() {
        return keyStore;
    }

    /** The clients' trust store (PKCS12), holding the server's certificate only. */
    public Path trustStore() {
        return trustStore;
    }

    /** The password of both stores and of the key. */
    public String password() {
        return password;
    }
}
