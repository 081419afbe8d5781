package dev.floe.app.http;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.component.netty.ServerInitializerFactory;
import org.apache.camel.component.netty.http.HttpServerBootstrapFactory;
import org.apache.camel.component.netty.http.NettyHttpComponent;
import org.apache.camel.component.netty.http.NettyHttpConsumer;

/**
 * camel-netty-http, honouring the consumer's {@code serverInitializerFactory} option: the stock component builds every
 * HTTP server with its own {@code HttpServerInitializerFactory} and ignores the option (Camel 4.15), which would leave
 * Floe's pipeline (TLS) out. Servers are shared per address, as the stock component does.
 */
@Singleton
@Named("netty-http")
public class IngestHttpComponent extends NettyHttpComponent {

    private final Map<String, HttpServerBootstrapFactory> servers = new HashMap<>();

    @Override
    protected synchronized HttpServerBootstrapFactory getOrCreateHttpNettyServerBootstrapFactory(
            NettyHttpConsumer consumer) {
        ServerInitializerFactory initializer = consumer.getConfiguration().getServerInitializerFactory();
        if (initializer == null) {
            return super.getOrCreateHttpNettyServerBootstrapFactory(consumer);
        }
        return servers.computeIfAbsent(consumer.getConfiguration().getAddress(), address -> {
            HttpServerBootstrapFactory server = new HttpServerBootstrapFactory(
                    getMultiplexChannelHandler(consumer.getConfiguration().getPort()));
            server.init(getCamelContext(), consumer.getConfiguration(), initializer.createPipelineFactory(consumer));
            return server;
        });
    }

    @Override
    protected synchronized void doStop() throws Exception {
        super.doStop();
        servers.values().forEach(HttpServerBootstrapFactory::stop);
        servers.clear();
    }
}
