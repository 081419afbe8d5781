package dev.floe.app.maintenance;

import dev.floe.app.FloeConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.master.MasterComponent;
import org.apache.camel.component.master.MasterConsumer;
import org.apache.camel.quarkus.main.events.BeforeConfigure;

/**
 * The cluster service behind the {@code master:} maintenance routes ({@code floe.maintenance.cluster}): Camel's file
 * lock, in {@code floe.maintenance.lock-dir} (default: the data directory's {@code cluster/} folder), so that of the
 * processes sharing that folder one maintains; or a Kubernetes Lease, so that of the pods of a namespace one maintains.
 * Installed before Camel configures its components (the master component looks for it then), with its settings read at
 * run time (the camel-quarkus-file-cluster-service extension fixes its folder at build time).
 */
@ApplicationScoped
public class MaintenanceLeadership {

    private volatile CamelContext camel;

    void install(@Observes BeforeConfigure configuring, CamelContext camel, FloeConfig config) throws Exception {
        this.camel = camel;
        CamelClusterService service = MaintenanceClusterServices.create(config);
        camel.addService(service, true, true);
        // A new leader starts the maintenance routes' timers one at a time, and a shutdown waits for those starts: with
        // this instead of Camel's 5 s back-off they came about 3 s apart here instead of 5 s.
        camel.getComponent("master", MasterComponent.class).setBackOffDelay(200);
        Log.debugf("Maintenance leadership: %s", service);
    }

    /** True while a maintenance route of this process holds the leadership (its master: consumer runs). */
    public boolean leader() {
        CamelContext context = camel;
        if (context == null) {
            return false;
        }
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof MasterConsumer master && master.isMaster()) {
                return true;
            }
        }
        return false;
    }
}
