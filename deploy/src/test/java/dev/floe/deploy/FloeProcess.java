package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged application (app/target/quarkus-app) started as its own process, as the container image runs it. */
final class FloeProcess implements AutoCloseable {

    static final Path JAR = Repository.ROOT.resolve("app/target/quarkus-app/quarkus-run.jar");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Process process;
    final int httpPort;
    final int managementPort;
    private volatile boolean frozen;

    private FloeProcess(Process process, int httpPort, int managementPort) {
        this.process = process;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /** Starts Floe in {@code workDir} with these environment variables and system properties, and waits until ready. */
    static FloeProcess start(Path workDir, String logName, Map<String, String> env, List<String> properties)
            throws Exception {
        int http = freePort();
        int management = freePort();
        FloeProcess floe = new FloeProcess(launch(workDir, logName, env, properties, http, management), http,
                management);
        URI ready = floe.management("/q/health/ready");
        await().atMost(Duration.ofSeconds(90)).until(() -> get(ready).startsWith("200") || !floe.process.isAlive());
        assertThat(floe.process.isAlive()).as("Floe started (see deploy/target/%s)", logName).isTrue();
        return floe;
    }

    /** Starts Floe without waiting for it: for a run that ends by itself (drain mode). */
    static Process launch(Path workDir, String logName, Map<String, String> env, List<String> properties)
            throws Exception {
        return launch(workDir, logName, env, properties, freePort(), freePort());
    }

    /**
     * Runs Floe with the test crash point after the first table commit, and checks that it halted there (exit 137).
     * Launched, not started: it may halt before its readiness is ever seen.
     */
    static void runUntilCrashAfterCommit(Path workDir, String logName, Map<String, String> env,
            List<String> properties) throws Exception {
        Map<String, String> crashing = new HashMap<>(env);
        crashing.put("FLOE_TEST_CRASH_POINT", "after-table-commit");
        Process floe = launch(workDir, logName, crashing, properties);
        try {
            assertThat(floe.waitFor(120, TimeUnit.SECONDS)).as("halted at the crash point").isTrue();
            assertThat(floe.exitValue()).isEqualTo(137);
        } finally {
            floe.destroyForcibly();
        }
    }

    private static Process launch(Path workDir, String logName, Map<String, String> env, List<String> properties,
            int http, int management) throws Exception {
        assertThat(JAR).as("the packaged application: run the reactor build (./mvnw verify)").isRegularFile();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dfloe.http.port=" + http, "-Dquarkus.management.port=" + management));
        command.addAll(properties);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(new File(Repository.ROOT.resolve("deploy/target/" + logName).toString()));
        builder.environment().put("FLOE_ROUTES_DIR", Repository.ROUTES.toString());
        builder.environment().putAll(env);
        return builder.start();
    }

    /** floe_events_received_total of a route, from the process' metrics. */
    double received(String route) {
        return metric("floe_events_received_total", "route=\"" + route + "\"");
    }

    /**
     * The value of one series on the process' metrics page, e.g. {@code floe_kafka_rewinds_total} with no labels or
     * {@code floe_commit_failures_total} with {@code table="default.events"}; 0 while it does not exist (or the page
     * does not answer).
     */
    double metric(String name, String labels) {
        String series = Pattern.quote(name) + (labels.isEmpty() ? "" : "\\{" + Pattern.quote(labels) + "}");
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.E+-]+)").matcher(get(management("/q/metrics")));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /**
     * SIGSTOP: every thread of the JVM stops where it is, its sockets stay open, as in a long GC pause or on a node
     * that stalls. Nothing of it answers until {@link #thaw()}.
     */
    void freeze() throws Exception {
        signal("STOP");
        frozen = true;
    }

    /** SIGCONT: the frozen JVM runs on from where it stopped. */
    void thaw() throws Exception {
        signal("CONT");
        frozen = false;
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s %s", name, process.pid())
                .isTrue();
    }

    URI events() {
        return URI.create("http://127.0.0.1:" + httpPort + "/");
    }

    URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    static HttpRequest.Builder binaryEvent(URI uri, String id) {
        return HttpRequest.newBuilder(uri).header("ce-specversion", "1.0").header("ce-id", id)
                .header("ce-source", "/deploy/test").header("ce-type", "dev.floe.test")
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}"));
    }

    static String get(URI uri) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (Exception e) {
            return "unreachable";
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Stops Floe as Kubernetes would (SIGTERM, then SIGKILL after a grace period), so that it leaves its Kafka group
     * and the next process in the group is not kept waiting for the session timeout. Crash tests kill it themselves.
     */
    @Override
    public void close() {
        if (frozen) {
            try {
                thaw(); // a frozen JVM does not act on SIGTERM
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
