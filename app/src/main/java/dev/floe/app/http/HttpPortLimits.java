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
 * The ingest port's limits (floe.http.*). The request-read and idle timeouts go into each connection's pipeline through
 * the route's {@code encoders} option: that slot sits after netty-http's HTTP codec and before its aggregator, where the
 * timeouts see whole requests and responses. The connection cap goes first of all, in {@link IngestServerInitializer}.
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

    /** The one connection counter of the port, shared by every connection. */
    ConnectionLimit connectionLimit() {
        return connectionLimit;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("floe-request-read-timeout",
                new RequestReadTimeout(config.requestReadTimeoutSeconds() * 1000L, metrics));
        pipeline.addLast("floe-idle-timeout", new IdleConnectionTimeout(config.idleTimeoutSeconds() * 1000L, metrics));
    }
}
