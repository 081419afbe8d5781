package dev.floe.app.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready means the catalog answers. The error text is not echoed: it could carry a connection string.
 */
@Readiness
@ApplicationScoped
public class CatalogReadiness implements HealthCheck {

    @Inject
    Catalog catalog;

    @Override
    public HealthCheckResponse call() {
        try {
            CatalogProbe.call(catalog);
            return HealthCheckResponse.named("iceberg-catalog").up().withData("catalog", catalog.name()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("iceberg-catalog").down().withData("catalog", catalog.name())
                    .withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
