package dev.floe.app.http;

import java.util.concurrent.TimeUnit;

import dev.floe.app.FloeMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
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
    // touched only on the channel's event loop: requests read and not yet answered (pipelining can make it more than
    // one), and whether the response being written is an interim one (100 Continue), which answers nothing
    private int inFlight;
    private boolean interim;

    IdleConnectionTimeout(long timeoutMillis, FloeMetrics metrics) {
        super(0, 0, timeoutMillis, TimeUnit.MILLISECONDS);
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            inFlight++;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response) {
            interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        }
        if (msg instanceof LastHttpContent && !interim && inFlight > 0) {
            // a final response is complete: one request fewer waits for its answer
            inFlight--;
        }
        super.write(ctx, msg, promise);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (inFlight == 0) {
            metrics.httpConnectionClosed("idle");
            ctx.close();
        }
    }
}
