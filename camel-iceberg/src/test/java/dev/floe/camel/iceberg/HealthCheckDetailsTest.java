package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The catalog URI a health check shows never carries a password, in any of the forms JDBC drivers take one. */
class HealthCheckDetailsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://db:5432/floe?user=floe&password=s3cr3t | jdbc:postgresql://db:5432/floe",
            "jdbc:sqlserver://db:1433;databaseName=floe;user=floe;password=s3cr3t | jdbc:sqlserver://db:1433",
            "jdbc:mysql://floe:s3cr3t@db:3306/floe | jdbc:mysql://db:3306/floe",
            "jdbc:mysql://db/floe?user=floe;password=s3cr3t | jdbc:mysql://db/floe",
            "https://polaris.example.com/api/catalog | https://polaris.example.com/api/catalog",
            "jdbc:sqlite:/var/lib/floe/catalog.db | jdbc:sqlite:/var/lib/floe/catalog.db"})
    void theCatalogUriIsShownWithoutCredentials(String uri, String shown) {
        assertThat(IcebergProducerHealthCheck.shown(uri)).isEqualTo(shown).doesNotContain("s3cr3t");
    }
}
