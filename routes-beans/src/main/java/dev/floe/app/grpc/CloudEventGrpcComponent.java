package dev.floe.app.grpc;

import java.util.Map;
import java.util.function.BooleanSupplier;

import dev.floe.app.security.IngestTls;
import org.apache.camel.Endpoint;
import org.apache.camel.component.grpc.GrpcComponent;
import org.apache.camel.component.grpc.GrpcEndpoint;
import org.apache.camel.spi.annotations.Component;

/**
 * camel-grpc's {@code grpc} component, except that a consumer of Floe's service ({@code floe.v1.CloudEventService})
 * is a {@link CloudEventGrpcServer}: the service and the standard gRPC health service on one port. Every other
 * {@code grpc:} endpoint is camel-grpc's own. Registered under the name {@code grpc}, so the route's URI and options
 * are camel-grpc's.
 */
// the name, as on GrpcComponent (annotations are not inherited): Camel finds camel-grpc's option configurers by it
@Component("grpc")
public class CloudEventGrpcComponent extends GrpcComponent {

    private final CloudEventGrpcService service;
    private final BooleanSupplier ready;
    private final long healthIntervalMs;
    private final IngestTls tls;

    /**
     * @param ready            whether Floe can take events apart from the route being started (the catalog answers)
     * @param healthIntervalMs how often the health service checks again
     * @param tls              the ingest ports' TLS (floe.http.tls.*): the gRPC port serves it too when it is enabled
     */
    public CloudEventGrpcComponent(CloudEventGrpcService service, BooleanSupplier ready, long healthIntervalMs,
            IngestTls tls) {
        this.service = service;
        this.ready = ready;
        this.healthIntervalMs = healthIntervalMs;
        this.tls = tls;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        // camel-grpc parses the URI and its options (and finds registry interceptors); only the consumer differs
        GrpcEndpoint endpoint = (GrpcEndpoint) super.createEndpoint(uri, remaining, parameters);
        if (!CloudEventGrpcService.SERVICE.equals(endpoint.getConfiguration().getService())) {
            return endpoint;
        }
        return new CloudEventGrpcEndpoint(uri, this, endpoint.getConfiguration());
    }

    CloudEventGrpcService service() {
        return service;
    }

    BooleanSupplier ready() {
        return ready;
    }

    long healthIntervalMs() {
        return healthIntervalMs;
    }

    IngestTls tls() {
        return tls;
    }
}
