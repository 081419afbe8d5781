package dev.floe.app.catalogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.junit.jupiter.api.Test;

/** Hadoop catalog on the local filesystem: no database at all. */
@QuarkusTest
@TestProfile(HadoopCatalogIT.Hadoop.class)
class HadoopCatalogIT {

    static final Path WAREHOUSE = Path.of("target/hadoop-warehouse").toAbsolutePath();

    public static class Hadoop implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("floe.catalog.properties.type", "hadoop",
                    "floe.catalog.properties.warehouse", WAREHOUSE.toString());
        }
    }

    @Inject
    Catalog catalog;

    @Test
    void eventsLandThroughTheHadoopCatalog() throws Exception {
        assertThat(catalog).isInstanceOf(HadoopCatalog.class);
        List<String> files = CatalogScenarios.roundTrip(catalog);
        assertThat(files).isNotEmpty().allMatch(f -> f.contains(WAREHOUSE.toString()));
    }
}
