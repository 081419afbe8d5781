package dev.floe.app.security;

import java.util.HashMap;
import java.util.Map;

import dev.floe.app.FloeConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A real FloeConfig mapping built from a few properties, for unit tests of classes that read it. */
final class TestConfig {

    private TestConfig() {
    }

    static FloeConfig of(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(FloeConfig.class)
                .withSources(new PropertiesConfigSource(all, "test", 100)).build();
        return config.getConfigMapping(FloeConfig.class);
    }
}
