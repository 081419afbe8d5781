package dev.floe.app;

import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The caps of {@code floe.limits.*} as one bean: the HTTP and Kafka readers inject it, and readers that look the limits
 * up in the Camel registry (the AMQP reader, the {@code iceberg:application-cloudevents} data type) find it there.
 */
public class CloudEventLimitsProducer {

    @Produces
    @Singleton
    @Unremovable
    CloudEventLimits cloudEventLimits(FloeConfig config) {
        return config.limits().cloudEvents();
    }
}
