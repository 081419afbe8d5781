package dev.floe.app.routes;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the last reload of the routes failed: Camel has stopped the old routes and could not start the new
 * ones, so nothing listens for events until a route file that loads is written.
 */
@Readiness
@ApplicationScoped
public class RoutesReloadReadiness implements HealthCheck {

    @Inject
    RoutesReloadInstaller installer;

    @Override
    public HealthCheckResponse call() {
        RoutesFolderReload reload = installer.reload();
        boolean failed = reload != null && reload.lastReloadFailed();
        return HealthCheckResponse.named("routes-reload").status(!failed).build();
    }
}
