package dev.floe.app;

import static dev.floe.app.HttpToIcebergIT.binary;
import static dev.floe.app.HttpToIcebergIT.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The catalog's database is locked by another process's exclusive transaction, so every commit fails for real:
 * requests get 503 and none of their rows appear; once the lock goes, requests succeed again.
 */
@QuarkusTest
class CatalogOutageIT {

    @Inject
    Catalog catalog;
    @ConfigProperty(name = "floe.data-dir")
    String dataDir;

    @Test
    void failingCatalogGives503AndWritesNothingThenRecovers() throws Exception {
        assertThat(post(binary("warm-" + UUID.randomUUID())).statusCode()).isEqualTo(204);
        String id = "out-" + UUID.randomUUID();
        String url = "jdbc:sqlite:" + Path.of(dataDir, "catalog.db").toAbsolutePath();
        try (Connection lock = DriverManager.getConnection(url); Statement st = lock.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            HttpResponse<String> response = post(binary(id));
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(response.body()).contains("send them again");
            st.execute("ROLLBACK");
        }
        assertThat(Tables.rowsWithIdPrefix(catalog, "default.events", id)).isEmpty();

        String after = "rec-" + UUID.randomUUID();
        assertThat(post(binary(after)).statusCode()).isEqualTo(204);
        assertThat(Tables.rowsWithIdPrefix(catalog, "default.events", after)).hasSize(1);
        assertThat(Tables.rowsWithIdPrefix(catalog, "default.events", id)).isEmpty();
    }
}
