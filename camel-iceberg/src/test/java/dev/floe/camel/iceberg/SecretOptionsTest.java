package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.Endpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** credential and token: handed to Iceberg under its own names, over catalog.*, and masked wherever Camel prints a URI. */
class SecretOptionsTest extends CamelTestSupport {

    private static final String URI = "iceberg:it.secrets?catalog.type=rest&catalog.uri=http://127.0.0.1:1"
            + "&credential=client:s3cr3t-option&token=t0k3n-option&catalog.token=t0k3n-map"
            + "&catalog.scope=PRINCIPAL_ROLE:ALL";

    @Test
    void theSecretOptionsWinOverTheSameNamesInCatalogProperties() {
        // the component's own catalog properties (camel.component.iceberg.configuration.*) are overridden too
        context.getComponent("iceberg", IcebergComponent.class).getConfiguration().getCatalogProperties()
                .put("credential", "client:s3cr3t-component");
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

    @ParameterizedTest
    @ValueSource(strings = {"credential=client:s3cr3t&catalog.credential=client:s3cr3t",
            "catalog.client.credentials-provider=org.example.Provider&credential=client:s3cr3t"})
    void aUriWhereCamelWouldPrintTheCredentialIsRefused(String query) {
        // Camel 4.15 masks an added keyword (credential) at its first match in a URI only
        String uri = "iceberg:it.secrets?catalog.type=rest&" + query;
        assertThat(URISupport.sanitizeUri(uri)).as("why the URI is refused").contains("s3cr3t");
        assertThatThrownBy(() -> context.getEndpoint(uri)).rootCause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("may name only one parameter holding 'credential'")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void noSecretShowsInAPrintedUri() {
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
