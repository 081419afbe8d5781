package dev.floe.camel.iceberg;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.floe.testing.FaultProxy;
import org.apache.iceberg.rest.InProcessRestCatalog;

/**
 * Iceberg's REST catalog server (a SQLite JDBC catalog behind it, in a temporary folder) with a TCP fault proxy in
 * front: the catalog the fault tests of this module talk to.
 */
final class ProxiedRestCatalog implements AutoCloseable {

    private final InProcessRestCatalog server;
    private final FaultProxy proxy;
    private final int serverPort;

    private ProxiedRestCatalog(InProcessRestCatalog server, FaultProxy proxy, int serverPort) {
        this.server = server;
        this.proxy = proxy;
        this.serverPort = serverPort;
    }

    static ProxiedRestCatalog start(String name) throws Exception {
        Path dir = Files.createTempDirectory(name);
        int serverPort = freePort();
        Map<String, String> config = new HashMap<>();
        config.put("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        config.put("uri", "jdbc:sqlite:" + dir.resolve("rest.db"));
        config.put("jdbc.schema-version", "V1");
        config.put("warehouse", dir.resolve("warehouse").toString());
        config.put("rest.port", String.valueOf(serverPort));
        InProcessRestCatalog server = new InProcessRestCatalog(config);
        server.start();
        return new ProxiedRestCatalog(server, FaultProxy.start(serverPort), serverPort);
    }

    FaultProxy proxy() {
        return proxy;
    }

    /** The catalog's URI through the proxy. */
    String proxiedUri() {
        return "http://127.0.0.1:" + proxy.port();
    }

    /** The catalog's URI past the proxy, for reading back what the catalog holds. */
    String directUri() {
        return "http://127.0.0.1:" + serverPort;
    }

    @Override
    public void close() throws Exception {
        proxy.close();
        server.stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
