package dev.floe.app.routing;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.CamelContext;

/**
 * Checks the routing configuration and resolves every table's endpoint when the application starts (see
 * {@link TableRouter#resolveEndpoints}); under plain Camel the route beans' plugin does the same when the router is
 * first looked up.
 */
@ApplicationScoped
public class TableEndpointsAtStartup {

    void resolve(@Observes StartupEvent started, TableRouter router, CamelContext camel) {
        router.resolveEndpoints(camel);
    }
}
