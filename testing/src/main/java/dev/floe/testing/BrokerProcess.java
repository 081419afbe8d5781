package dev.floe.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (KRaft, combined broker and controller, Kafka's own {@code kafka.Kafka} main) in a JVM of its
 * own, with fixed ports and a log directory that outlive it: stopped and started again, it is the same broker, with the
 * same topics, records and group offsets, at the same address. The in-process test kit cannot do that: it pre-binds
 * its listener sockets once and hands a restarted broker the same, closed, socket.
 */
final class BrokerProcess {

    private final Path dir;
    private final int port;
    private final int controllerPort;
    // 0 without a SASL_SSL listener
    private final int securePort;
    private Process process;

    private BrokerProcess(Path dir, int port, int controllerPort, int securePort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.securePort = securePort;
        Runtime.getRuntime().addShutdownHook(new Thread(this::kill, "kafka-broker-process-kill"));
    }

    /** Writes the configuration and formats the log directory (a new cluster) in {@code dir}. */
    static BrokerProcess format(Path dir) throws Exception {
        return format(dir, null, Map.of());
    }

    /**
     * As {@link #format(Path)}, plus, with {@code certificates}, a SASL_SSL listener (SCRAM-SHA-512, TLS with the
     * certificates' key store) whose users and passwords, {@code scramUsers}, are written into the cluster's metadata
     * when it is formatted, as {@code kafka-storage format --add-scram} does.
     */
    static BrokerProcess format(Path dir, TestCertificates certificates, Map<String, String> scramUsers)
            throws Exception {
        Directories.delete(dir);
        Files.createDirectories(dir.resolve("data"));
        BrokerProcess broker = new BrokerProcess(dir, freePort(), freePort(), certificates == null ? 0 : freePort());
        List<String> secure = new ArrayList<>();
        String listeners = "PLAINTEXT://127.0.0.1:" + broker.port;
        String advertised = listeners;
        String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
        if (certificates != null) {
            listeners += ",SECURE://127.0.0.1:" + broker.securePort;
            // advertised as localhost, the name the certificate is issued to (clients check it)
            advertised += ",SECURE://localhost:" + broker.securePort;
            protocols += ",SECURE:SASL_SSL";
            secure = List.of("listener.name.secure.sasl.enabled.mechanisms=SCRAM-SHA-512",
                    "listener.name.secure.scram-sha-512.sasl.jaas.config="
                            + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                    "listener.name.secure.ssl.keystore.type=PKCS12",
                    "listener.name.secure.ssl.keystore.location=" + certificates.keyStore(),
                    "listener.name.secure.ssl.keystore.password=" + certificates.password(),
                    "listener.name.secure.ssl.key.password=" + certificates.password());
        }
        List<String> config = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + broker.controllerPort,
                "listeners=" + listeners + ",CONTROLLER://127.0.0.1:" + broker.controllerPort,
                "advertised.listeners=" + advertised,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=" + protocols,
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // consumers in tests may evict a frozen member after a few seconds
                "group.min.session.timeout.ms=1000"));
        config.addAll(secure);
        config.add("");
        Files.writeString(broker.config(), String.join("\n", config));
        List<String> format = new ArrayList<>(List.of("format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", broker.config().toString()));
        scramUsers.forEach((user, password) -> format
                .addAll(List.of("--add-scram", "SCRAM-SHA-512=[name=" + user + ",password=" + password + "]")));
        Process storage = broker.java("kafka.tools.StorageTool", "format.log", format.toArray(String[]::new));
        if (!storage.waitFor(60, TimeUnit.SECONDS) || storage.exitValue() != 0) {
            storage.destroyForcibly();
            throw new IllegalStateException("kafka-storage format failed: see " + dir.resolve("format.log"));
        }
        return broker;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The SASL_SSL listener's address; only for a broker formatted with certificates. */
    String saslSslBootstrapServers() {
        if (securePort == 0) {
            throw new IllegalStateException("this broker has no SASL_SSL listener");
        }
        return "localhost:" + securePort;
    }

    /** Starts the broker's JVM; the caller waits until it serves. */
    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker runs already");
        }
        process = java("kafka.Kafka", "broker.log", config().toString());
    }

    /** SIGTERM, as a rolling restart stops a broker (a controlled shutdown), and waits until the JVM has exited. */
    synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The broker's output so far, for a failure message. */
    Path log() {
        return dir.resolve("broker.log");
    }

    private synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private Path config() {
        return dir.resolve("server.properties");
    }

    /**
     * A JVM on this JVM's class path (Kafka's jars are on it), its output appended to a file in {@code dir}; compiled
     * by C1 only, which starts faster and is plenty for a test broker.
     */
    private Process java(String main, String logName, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(logName).toFile())).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
