package dev.floe.app.amqp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Lets no JMS property of a received message into the route as a header: {@link AmqpCloudEventReader} reads the
 * CloudEvents properties and the content type from the AMQP message itself, and nothing else is needed.
 */
@ApplicationScoped
@Named("amqpHeaderAllowList")
public class AmqpHeaderAllowList implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return true;
    }

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return false;
    }
}
