package dev.floe.app.catalogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;

/** JDBC catalog on a real PostgreSQL, data on the local disk. */
@QuarkusTest
@TestProfile(PostgresCatalogIT.Postgres.class)
class PostgresCatalogIT {

    public static class Postgres implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresResource.class));
        }
    }

    @Inject
    Catalog catalog;

    PostgresResource postgres;

    @Test
    void eventsLandThroughThePostgresCatalog() throws Exception {
        assertThat(catalog).isInstanceOf(JdbcCatalog.class);
        List<String> files = CatalogScenarios.roundTrip(catalog);
        assertThat(files).isNotEmpty().allMatch(f -> f.endsWith(".parquet"));
        CatalogScenarios.secretsStayHidden(PostgresResource.PASSWORD);
    }

    @Test
    void outageIsBackpressureWithoutLoss() throws Exception {
        CatalogScenarios.outage(catalog, postgres::stopDatabase, postgres::startDatabase);
    }
}
