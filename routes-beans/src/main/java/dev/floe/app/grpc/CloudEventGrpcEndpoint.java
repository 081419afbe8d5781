package dev.floe.app.grpc;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.grpc.GrpcConfiguration;
import org.apache.camel.component.grpc.GrpcEndpoint;

/** A camel-grpc endpoint of Floe's service, consumed by {@link CloudEventGrpcServer}; producers stay camel-grpc's. */
final class CloudEventGrpcEndpoint extends GrpcEndpoint {

    private final CloudEventGrpcComponent component;

    CloudEventGrpcEndpoint(String uri, CloudEventGrpcComponent component, GrpcConfiguration configuration) {
        super(uri, component, configuration);
        this.component = component;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        CloudEventGrpcServer consumer = new CloudEventGrpcServer(this, processor, component.service(),
                component.ready(), component.healthIntervalMs(), component.tls());
        configureConsumer(consumer);
        return consumer;
    }
}
