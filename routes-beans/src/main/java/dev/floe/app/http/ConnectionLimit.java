package dev.floe.app.http;

import java.util.concurrent.atomic.AtomicInteger;

import dev.floe.app.FloeMetrics;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Caps the connections open at once on the ingest port: one past the cap is closed as soon as it is accepted, before a
 * byte of it is read. Netty has no such handler; one instance is shared by every connection of the port.
 */
@Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    private final int max;
    private final FloeMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimit(int max, FloeMetrics metrics) {
        this.max = max;
        this.metrics = metrics;
        metrics.httpConnectionsOpen(open::get);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > max) {
            metrics.httpConnectionClosed("limit");
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // every active channel was counted, refused ones included
        open.decrementAndGet();
        super.channelInactive(ctx);
    }
}
