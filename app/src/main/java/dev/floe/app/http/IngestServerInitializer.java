package dev.floe.app.http;

import dev.floe.app.security.IngestTls;
import io.netty.channel.Channel;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.component.netty.NettyConsumer;
import org.apache.camel.component.netty.ServerInitializerFactory;
import org.apache.camel.component.netty.http.HttpServerInitializerFactory;
import org.apache.camel.component.netty.http.NettyHttpConsumer;

/**
 * The ingest port's Netty pipeline: camel-netty-http's own, with Floe's handlers put in front. Thin on purpose: each
 * concern (TLS, the connection cap) is a class of its own that adds its handlers.
 */
@Singleton
@Named("ingestServerInitializer")
public class IngestServerInitializer extends HttpServerInitializerFactory {

    private final IngestTls tls;
    private final HttpPortLimits limits;

    @Inject
    public IngestServerInitializer(IngestTls tls, HttpPortLimits limits) {
        this.tls = tls;
        this.limits = limits;
    }

    private IngestServerInitializer(NettyHttpConsumer consumer, IngestTls tls, HttpPortLimits limits) {
        super(consumer);
        this.tls = tls;
        this.limits = limits;
    }

    @Override
    public ServerInitializerFactory createPipelineFactory(NettyConsumer consumer) {
        return new IngestServerInitializer((NettyHttpConsumer) consumer, tls, limits);
    }

    @Override
    protected void initChannel(Channel channel) throws Exception {
        super.initChannel(channel);
        if (tls.enabled()) {
            channel.pipeline().addFirst("ssl", tls.newHandler(channel.alloc()));
        }
        // first of all, so a connection past the cap costs no TLS handshake
        channel.pipeline().addFirst("floe-connection-limit", limits.connectionLimit());
    }
}
