package dev.floe.app.http;

import dev.floe.app.FloeConfig;
import dev.floe.app.FloeMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Puts the ingest port's connection cap, request-read timeout and idle timeout (floe.http.*) into each connection's
 * pipeline. camel-netty-http ignores the endpoint's serverInitializerFactory (it always builds its own
 * HttpServerInitializerFactory), so the route hands this initializer in as an encoder: it runs when netty-http has added
 * its HTTP codec and before the aggregator, which is where the timeouts must sit to see whole requests and responses.
 */
@Singleton
@Named("httpPortLimits")
@Sharable
public class HttpPortLimits extends ChannelInitializer<Channel> {

    private final FloeConfig.Http config;
    private final FloeMetrics metrics;
    private final ConnectionLimit connectionLimit;

    @Inject
    public HttpPortLimits(FloeConfig config, FloeMetrics metrics) {
        this.config = config.http();
        this.metrics = metrics;
        this.connectionLimit = new ConnectionLimit(this.config.maxConnections(), metrics);
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        // first of all, so a refused connection costs no TLS handshake
        pipeline.addFirst("floe-connection-limit", connectionLimit);
        pipeline.addLast("floe-request-read-timeout",
                new RequestReadTimeout(config.requestReadTimeout().toMillis(), metrics));
        pipeline.addLast("floe-idle-timeout", new IdleConnectionTimeout(config.idleTimeout().toMillis(), metrics));
    }
}
