package dev.floe.app.routes;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the YAML routes are read from, and their live reload (prefix {@code floe}, beside FloeConfig). */
@ConfigMapping(prefix = "floe")
public interface RoutesConfig {

    /** The folder of the YAML routes (camel.main.routes-include-pattern reads *.yaml from it). */
    @WithDefault("routes")
    String routesDir();

    RoutesReload routesReload();

    interface RoutesReload {

        /** Reload the routes when a file in the routes folder is added, changed or removed. */
        @WithDefault("true")
        boolean enabled();

        /** How often the routes folder is checked for changes. */
        @WithDefault("2s")
        Duration interval();
    }
}
