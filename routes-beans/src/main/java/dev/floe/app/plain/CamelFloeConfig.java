package dev.floe.app.plain;

import java.util.HashMap;
import java.util.Map;

import dev.floe.app.FloeConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * {@link FloeConfig} outside the application: the same mapping and {@code @WithDefault}s, read from Camel's properties
 * (application.properties of Camel Main, a Camel K mounted config, {@code camel run --property}), environment
 * variables ({@code FLOE_HTTP_PORT}) and system properties, in the application's order of precedence.
 */
final class CamelFloeConfig {

    private CamelFloeConfig() {
    }

    static FloeConfig read(CamelContext camel) {
        Map<String, String> properties = new HashMap<>();
        // the names from Camel's initial properties (Camel Main, Camel K's traits) and property files; each value as Camel
        // resolves it, {{placeholders}} in it included
        PropertiesComponent camelProperties = camel.getPropertiesComponent();
        for (String name : camelProperties.loadProperties(name -> name.startsWith("floe.")).stringPropertyNames()) {
            camelProperties.resolveProperty(name).ifPresent(value -> properties.put(name, value));
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "Camel properties", 250))
                // environment variables and system properties, over Camel's properties as in the application
                .addDefaultSources()
                .withMapping(FloeConfig.class)
                // floe.* properties that only the routes read (floe.kafka.enabled, timer periods...) are not mapped
                .withValidateUnknown(false)
                .build();
        return config.getConfigMapping(FloeConfig.class);
    }
}
