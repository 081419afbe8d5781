package dev.floe.app.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away CA and the certificates it signs, made with the JDK's keytool (no BouncyCastle on the classpath): real
 * keys and real X.509 chains for real TLS handshakes.
 */
final class TestCertificates {

    static final String PASSWORD = "changeit";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A new CA in dir. */
    static TestCertificates create(Path dir) throws Exception {
        TestCertificates certificates = new TestCertificates(dir);
        certificates.createCa();
        return certificates;
    }

    /** The CA made earlier in dir. */
    static TestCertificates existing(Path dir) {
        return new TestCertificates(dir);
    }

    private void createCa() throws Exception {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Floe Test CA", "-ext", "bc:c", "-validity", "2", "-keystore", store("ca").toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", store("ca").toString(), "-file",
                caPem().toString());
    }

    Path caPem() {
        return dir.resolve("ca.pem");
    }

    Path store(String name) {
        return dir.resolve(name + ".p12");
    }

    /** A key pair and a certificate for it, signed by the CA, in {name}.p12 (chain included). */
    Path issue(String name, String subject, String... extensions) throws Exception {
        Path store = store(name);
        Files.deleteIfExists(store);
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject,
                "-validity", "2", "-keystore", store.toString());
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", csr.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore",
                store("ca").toString(), "-infile", csr.toString(), "-outfile", cert.toString(), "-validity", "2"));
        for (String extension : extensions) {
            gencert.add("-ext");
            gencert.add(extension);
        }
        keytool(gencert.toArray(String[]::new));
        // the signed certificate replaces the self-signed one: import the CA first so keytool can build the chain
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem().toString(), "-keystore",
                store.toString());
        keytool("-importcert", "-alias", name, "-file", cert.toString(), "-keystore", store.toString());
        return store;
    }

    X509Certificate certificate(String name) throws Exception {
        return (X509Certificate) load(store(name)).getCertificate(name);
    }

    /** Writes the certificate chain and the PKCS#8 private key of {name}.p12 as PEM files, each replaced atomically. */
    void writePem(String name, Path certificateFile, Path keyFile) throws Exception {
        KeyStore store = load(store(name));
        StringBuilder chain = new StringBuilder();
        for (var certificate : store.getCertificateChain(name)) {
            chain.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        PrivateKey key = (PrivateKey) store.getKey(name, PASSWORD.toCharArray());
        replace(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        replace(certificateFile, chain.toString());
    }

    /** A client-side SSLContext that trusts the CA and, when name is not null, presents {name}'s certificate. */
    SSLContext clientContext(String name) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(name == null ? null : keyManagers(name).getKeyManagers(), trustManagers().getTrustManagers(),
                null);
        return context;
    }

    /** Trust in the CA alone. */
    TrustManagerFactory trustManagers() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", load(store("ca")).getCertificate("ca"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        return trustManagers;
    }

    /** {name}'s certificate and key. */
    KeyManagerFactory keyManagers(String name) throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(load(store(name)), PASSWORD.toCharArray());
        return keyManagers;
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private void replace(Path file, String content) throws IOException {
        Path temporary = Files.createTempFile(dir, "pem", ".tmp");
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
