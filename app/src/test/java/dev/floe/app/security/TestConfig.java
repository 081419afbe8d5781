package dev.floe.app.security;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.floe.app.FloeConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A real FloeConfig mapping built from a few properties, for unit tests of classes that read it. */
final class TestConfig {

    private TestConfig() {
    }

    static FloeConfig of(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.putIfAbsent("floe.management.host", "127.0.0.1");
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(FloeConfig.class)
                // Quarkus' durations (10s), as in the application
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100)).build();
        return config.getConfigMapping(FloeConfig.class);
    }
}
