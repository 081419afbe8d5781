package dev.floe.app.http;

import dev.floe.app.FloeConfig;
import dev.floe.app.FloeMetrics;
import dev.floe.app.security.IngestTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Floe's handlers in each connection of the ingest port: the connection cap and TLS (floe.http.tls.*) in front of
 * everything, the request-read and idle timeouts (floe.http.*) right after netty-http's HTTP codec, where they see whole
 * requests and responses.
 * <p>
 * It is handed to the route as an encoder: camel-netty-http 4.15 ignores the endpoint's serverInitializerFactory, and
 * replacing the netty-http component to honour it also took the component out of Camel's tracing. Netty runs this
 * initializer while netty-http builds the pipeline, so it can put handlers both at the front and after the codec.
 */
@Singleton
@Named("ingestPipeline")
@Sharable
public class IngestPipeline extends ChannelInitializer<Channel> {

    private final FloeConfig.Http config;
    private final FloeMetrics metrics;
    private final IngestTls tls;
    private final ConnectionLimit connectionLimit;

    @Inject
    public IngestPipeline(FloeConfig config, FloeMetrics metrics, IngestTls tls) {
        this.config = config.http();
        this.metrics = metrics;
        this.tls = tls;
        this.connectionLimit = new ConnectionLimit(this.config.maxConnections(), metrics);
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (tls.enabled()) {
            pipeline.addFirst("ssl", tls.newHandler(channel.alloc()));
        }
        // first of all, so a connection past the cap costs no TLS handshake
        pipeline.addFirst("floe-connection-limit", connectionLimit);
        pipeline.addLast("floe-request-read-timeout",
                new RequestReadTimeout(config.requestReadTimeoutSeconds() * 1000L, metrics));
        pipeline.addLast("floe-idle-timeout", new IdleConnectionTimeout(config.idleTimeoutSeconds() * 1000L, metrics));
    }
}
