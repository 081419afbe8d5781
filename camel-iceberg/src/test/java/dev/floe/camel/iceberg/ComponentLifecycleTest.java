package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** What the component holds does not outlive it. */
class ComponentLifecycleTest {

    @Test
    void aCatalogAskedForAfterStopIsRefusedNotLeftOpen() throws Exception {
        Path dir = Files.createTempDirectory("floe-lifecycle");
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            IcebergEndpoint endpoint = camel.getEndpoint("iceberg:it.lifecycle?catalogName=lifecycle&catalog.type=jdbc"
                    + "&catalog.uri=jdbc:sqlite:" + dir.resolve("catalog.db") + "&catalog.warehouse=" + dir.toUri(),
                    IcebergEndpoint.class);
            IcebergComponent component = endpoint.getComponent();
            assertThat(component.catalogFor(endpoint.getConfiguration())).isNotNull();

            component.stop();
            // a health probe or a last batch may still ask while the component stops: nothing would close that one
            assertThatThrownBy(() -> component.catalogFor(endpoint.getConfiguration()))
                    .isInstanceOf(IllegalStateException.class).hasMessage("The iceberg component is stopped");
        }
    }
}
