package dev.floe.app.catalogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;

/** REST catalog (Iceberg's fixture server) with data in S3 (S3Proxy), configured only through properties. */
@QuarkusTest
@TestProfile(RestCatalogS3IT.Rest.class)
class RestCatalogS3IT {

    public static class Rest implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RestS3Resource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("floe.catalog.name", "rest");
        }
    }

    @Inject
    Catalog catalog;

    RestS3Resource servers;

    @Test
    void eventsLandInS3ThroughTheRestCatalog() throws Exception {
        assertThat(catalog).isInstanceOf(RESTCatalog.class);
        List<String> files = CatalogScenarios.roundTrip(catalog);
        assertThat(files).isNotEmpty().allMatch(f -> f.startsWith("s3://" + S3Server.BUCKET + "/rest/"));
    }

    @Test
    void secretsNeverShow() throws Exception {
        CatalogScenarios.roundTrip(catalog);
        CatalogScenarios.secretsStayHidden(S3Server.SECRET_KEY, RestS3Resource.CLIENT_SECRET);
    }

    @Test
    void outageIsBackpressureWithoutLoss() throws Exception {
        CatalogScenarios.outage(catalog, servers::stopCatalog, servers::startCatalog);
    }
}
