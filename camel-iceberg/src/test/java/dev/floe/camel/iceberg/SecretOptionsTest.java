package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Endpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.Test;

/** credential and token: handed to Iceberg under its own names, over catalog.*, and masked wherever Camel prints a URI. */
class SecretOptionsTest extends CamelTestSupport {

    private static final String URI = "iceberg:it.secrets?catalog.type=rest&catalog.uri=http://127.0.0.1:1"
            + "&credential=client:s3cr3t-option&token=t0k3n-option&catalog.credential=client:s3cr3t-map"
            + "&catalog.token=t0k3n-map&catalog.scope=PRINCIPAL_ROLE:ALL";

    @Test
    void theSecretOptionsWinOverTheSameNamesInCatalogProperties() {
        IcebergEndpoint endpoint = context.getEndpoint(URI, IcebergEndpoint.class);
        assertThat(IcebergComponent.catalogProperties(endpoint.getConfiguration()))
                .containsEntry("credential", "client:s3cr3t-option").containsEntry("token", "t0k3n-option")
                .containsEntry("scope", "PRINCIPAL_ROLE:ALL");
    }

    @Test
    void theCatalogPropertiesAloneStillPassThrough() {
        IcebergEndpoint endpoint = context.getEndpoint(
                "iceberg:it.secrets?catalog.type=rest&catalog.credential=client:s3cr3t-map", IcebergEndpoint.class);
        assertThat(IcebergComponent.catalogProperties(endpoint.getConfiguration())).containsEntry("credential",
                "client:s3cr3t-map");
    }

    @Test
    void noSecretShowsInAPrintedUri() {
        // Camel 4.15 masks an added keyword (credential) once per URI: give the credential one way, not both
        for (String uri : new String[]{
                "iceberg:it.secrets?catalog.type=rest&credential=client:s3cr3t&token=t0k3n&catalog.token=t0k3n",
                "iceberg:it.secrets?catalog.type=rest&catalog.credential=client:s3cr3t&catalog.scope=x"}) {
            Endpoint endpoint = context.getEndpoint(uri);
            for (String printed : new String[]{endpoint.toString(), URISupport.sanitizeUri(endpoint.getEndpointUri()),
                    URISupport.sanitizeUri(uri)}) {
                assertThat(printed).contains("it.secrets").doesNotContain("s3cr3t").doesNotContain("t0k3n");
            }
        }
    }
}
