package dev.floe.app.grpc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import dev.floe.app.FloeConfig;
import dev.floe.app.catalog.CatalogReadiness;
import dev.floe.app.security.IngestTls;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The grpc component of routes/grpc-to-iceberg.yaml: Floe's service with the standard gRPC health service on its port.
 * The health service answers SERVING while the route is started and the catalog answers, as the management port's
 * readiness check says ({@link CatalogReadiness}); a broker source that is down (Kafka, AMQP) does not stop gRPC
 * senders, so it is not part of it.
 */
@ApplicationScoped
public class GrpcServerSettings {

    @Produces
    @Singleton
    @Named("grpc")
    CloudEventGrpcComponent grpc(CloudEventGrpcService service, @Readiness CatalogReadiness catalog,
            FloeConfig config, IngestTls tls) {
        return new CloudEventGrpcComponent(service,
                () -> catalog.call().getStatus() == HealthCheckResponse.Status.UP, config.grpc().healthIntervalMs(),
                tls);
    }
}
