package dev.floe.app.grpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The gRPC route switched on, on a free port, with the HTTP port's security settings: a static token file (one sender
 * granted everything, one only its own sources), routing that rejects unmatched events, and a memory budget smaller than
 * a stream.
 */
public class GrpcResource implements QuarkusTestResourceLifecycleManager {

    static final Path DIR = Path.of("target/grpc-it");
    static final String SENDER_TOKEN = "grpc-sender-7c1d";
    static final String STRANGER_TOKEN = "grpc-stranger-04e9";
    static final int MAX_PENDING_EVENTS = 300;
    static int port;

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve("tokens"), "sender=" + SENDER_TOKEN + "\nstranger=" + STRANGER_TOKEN + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> c = new HashMap<>();
        c.put("floe.grpc.enabled", "true");
        c.put("floe.grpc.host", "127.0.0.1");
        c.put("floe.grpc.port", String.valueOf(port));
        c.put("floe.data-dir", "target/grpc-it-data");
        c.put("floe.http.auth.static-tokens-file", DIR.resolve("tokens").toString());
        c.put("floe.authorization.grants.sender.principal", "sender");
        c.put("floe.authorization.grants.stranger.principal", "stranger");
        c.put("floe.authorization.grants.stranger.sources", "/stranger/*");
        c.put("floe.routing.rules.\"dev.floe.grpc.*\"", "grpc.events");
        c.put("floe.routing.unmatched", "reject");
        c.put("floe.max-pending-events", String.valueOf(MAX_PENDING_EVENTS));
        return c;
    }

    @Override
    public void stop() {
    }
}
