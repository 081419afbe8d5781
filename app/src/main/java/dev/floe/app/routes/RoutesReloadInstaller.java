package dev.floe.app.routes;

import java.nio.file.Path;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.CamelContext;

/** Adds {@link RoutesFolderReload} to Camel when live reload is on. */
@ApplicationScoped
public class RoutesReloadInstaller {

    private volatile RoutesFolderReload reload;

    void install(@Observes StartupEvent started, CamelContext camel, RoutesConfig config) throws Exception {
        if (config.routesReload().enabled()) {
            reload = new RoutesFolderReload(Path.of(config.routesDir()), config.routesReload().interval().toMillis());
            camel.addService(reload, true, true);
        }
    }

    /** The running reload strategy, or null when live reload is off. */
    RoutesFolderReload reload() {
        return reload;
    }
}
