package dev.floe.app.amqp;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.jms.JmsConsumer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.springframework.jms.listener.AbstractMessageListenerContainer;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * Ready means every AMQP route (any route reading from a JMS endpoint, so copies of the route count too) is connected
 * to its broker. Camel has no health check for JMS consumers, and its listener container keeps trying to connect in
 * the background (a refused login, a broker that is down, a certificate that is not trusted): without this check the
 * only sign would be in the log. The broker's error text is not echoed.
 */
@Readiness
@ApplicationScoped
public class AmqpReadiness implements HealthCheck {

    @Inject
    CamelContext camel;

    @Override
    public HealthCheckResponse call() {
        Map<String, String> routes = new TreeMap<>();
        boolean up = true;
        for (Route route : camel.getRoutes()) {
            if (route.getConsumer() instanceof JmsConsumer consumer && camel.getRouteController()
                    .getRouteStatus(route.getRouteId()).isStarted()) {
                boolean connected = connected(consumer);
                routes.put(route.getRouteId(), connected ? "connected" : "not connected");
                up &= connected;
            }
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named("amqp-source").status(up);
        routes.forEach(response::withData);
        return response.build();
    }

    private static boolean connected(JmsConsumer consumer) {
        try {
            AbstractMessageListenerContainer container = consumer.getListenerContainer();
            // Spring's container is "recovering" from the first failed connection until one succeeds
            return container.isRunning()
                    && !(container instanceof DefaultMessageListenerContainer dmlc && dmlc.isRecovering());
        } catch (Exception e) {
            return false;
        }
    }
}
