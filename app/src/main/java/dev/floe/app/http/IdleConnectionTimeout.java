package dev.floe.app.http;

import java.util.concurrent.TimeUnit;

import dev.floe.app.FloeMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Closes a connection that has read and written nothing for a while, unless a request on it is in flight: a request
 * parked until its commit is answered however long the commit takes. Sits behind the HTTP codec, so it sees whole
 * requests and responses.
 */
final class IdleConnectionTimeout extends IdleStateHandler {

    private final FloeMetrics metrics;
    // touched only on the channel's event loop
    private boolean inFlight;

    IdleConnectionTimeout(long timeoutMillis, FloeMetrics metrics) {
        super(0, 0, timeoutMillis, TimeUnit.MILLISECONDS);
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            inFlight = true;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            // the response is complete: from here the connection only waits for the next request
            inFlight = false;
        }
        super.write(ctx, msg, promise);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (!inFlight) {
            metrics.httpConnectionClosed("idle");
            ctx.close();
        }
    }
}
