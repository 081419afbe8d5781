package dev.floe.app.catalogs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A real PostgreSQL 14 (from a Maven jar) backing Floe's JDBC catalog; data on the local disk. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    static final String PASSWORD = "pg-secret-93b1";

    private EmbeddedPostgres postgres;
    private Path dataDir;
    private int port;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("floe-pg");
            port = Ports.free();
            startDatabase(false);
            try (var c = postgres.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
                st.execute("CREATE ROLE floe LOGIN PASSWORD '" + PASSWORD + "'");
                st.execute("CREATE DATABASE iceberg OWNER floe");
            }
            Path warehouse = Files.createTempDirectory("floe-pg-warehouse");
            return Map.of(
                    "floe.catalog.properties.type", "jdbc",
                    "floe.catalog.properties.uri", "jdbc:postgresql://127.0.0.1:" + port + "/iceberg",
                    "floe.catalog.properties.jdbc.user", "floe",
                    "floe.catalog.properties.jdbc.password", PASSWORD,
                    "floe.catalog.properties.warehouse", warehouse.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void startDatabase(boolean clean) throws IOException {
        postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(clean).setPort(port)
                .start();
    }

    public void stopDatabase() throws IOException {
        postgres.close();
    }

    public void startDatabase() throws IOException {
        startDatabase(false);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.MatchesType(PostgresResource.class));
    }

    @Override
    public void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
