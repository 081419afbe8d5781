package dev.floe.app.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * Live reload: Floe runs on a routes folder laid out as the kubelet lays out a mounted ConfigMap (each file a symlink
 * through the {@code ..data} symlink to a timestamped folder); the test updates it the way the kubelet does (new
 * folder, {@code ..data} swapped atomically) and the new route answers, without a restart.
 */
@QuarkusTest
@TestProfile(RouteReloadIT.ConfigMapFolder.class)
class RouteReloadIT {

    static final Path ROUTES = Path.of("target/configmap-routes").toAbsolutePath();
    static final URI PROBE = URI.create("http://127.0.0.1:18081/probe");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static class ConfigMapFolder implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            // the folder must exist before Floe reads its routes
            writeConfigMap("..2026_01_01_00_00_00.000000001", "v1");
            return Map.of("floe.routes-dir", ROUTES.toString(),
                    "camel.main.routes-include-pattern", "file:" + ROUTES + "/*.yaml",
                    "floe.routes-reload.interval", "200ms",
                    // on, as it is by default: its routes (master:) are in the folder and reload with the others
                    "floe.maintenance.enabled", "true");
        }
    }

    static String probeRoute(String answer) {
        if (answer == null) {
            // not a step Camel knows: the reload fails
            return """
                    - route:
                        id: reload-probe
                        from:
                          uri: "netty-http:http://127.0.0.1:18081/probe"
                          steps:
                            - setBodee:
                                constant: "broken"
                    """;
        }
        return """
                - route:
                    id: reload-probe
                    from:
                      uri: "netty-http:http://127.0.0.1:18081/probe"
                      steps:
                        - setBody:
                            constant: "%s"
                """.formatted(answer);
    }

    /** A ConfigMap volume: data in a timestamped folder, ..data pointing at it, each key a symlink through ..data. */
    static void writeConfigMap(String version, String answer) {
        try {
            Files.createDirectories(ROUTES);
            Path data = Files.createDirectories(ROUTES.resolve(version));
            Files.writeString(data.resolve("probe.yaml"), probeRoute(answer));
            for (String route : new String[]{"http-to-iceberg.yaml", "maintenance.yaml"}) {
                Files.copy(Path.of("../routes", route), data.resolve(route), StandardCopyOption.REPLACE_EXISTING);
            }
            Path tmp = ROUTES.resolve("..data_tmp");
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, Path.of(version));
            Path previous = Files.isSymbolicLink(ROUTES.resolve("..data"))
                    ? ROUTES.resolve(Files.readSymbolicLink(ROUTES.resolve("..data")))
                    : null;
            Files.move(tmp, ROUTES.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            for (String key : new String[]{"probe.yaml", "http-to-iceberg.yaml", "maintenance.yaml"}) {
                if (!Files.isSymbolicLink(ROUTES.resolve(key))) {
                    Files.deleteIfExists(ROUTES.resolve(key));
                    Files.createSymbolicLink(ROUTES.resolve(key), Path.of("..data", key));
                }
            }
            if (previous != null && !previous.getFileName().toString().equals(version)) {
                try (var files = Files.list(previous)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(previous);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String probe() {
        try {
            return HTTP.send(HttpRequest.newBuilder(PROBE).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "unreachable: " + e;
        }
    }

    @Test
    void aConfigMapUpdateChangesTheRoutesWithoutARestart() throws Exception {
        assertThat(probe()).isEqualTo("v1");

        writeConfigMap("..2026_01_01_00_01_00.000000002", "v2");

        await().atMost(Duration.ofSeconds(30)).until(() -> probe().equals("v2"));
        // the other route of the folder comes back too (it may start a moment after the probe), and still commits
        // before it answers
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:18080/"))
                .header("ce-specversion", "1.0").header("ce-id", "reload-" + UUID.randomUUID())
                .header("ce-source", "/reload").header("ce-type", "t").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(30)).build();
        await().atMost(Duration.ofSeconds(30)).until(() -> status(post) == 204);

        // a route file that does not load: Camel has stopped the routes, so the pod must leave the Service
        writeConfigMap("..2026_01_01_00_02_00.000000003", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(READY) == 503);
        assertThat(probe()).startsWith("unreachable");
        writeConfigMap("..2026_01_01_00_03_00.000000004", "v4");
        await().atMost(Duration.ofSeconds(30)).until(() -> probe().equals("v4"));
        // readiness follows once the whole folder has loaded
        await().atMost(Duration.ofSeconds(30)).until(() -> status(READY) == 200);
    }

    static final URI READY = URI.create("http://127.0.0.1:19000/q/health/ready");

    static int status(URI uri) {
        return status(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build());
    }

    /** The response's status, or -1 when nothing answers. */
    static int status(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
