package dev.floe.app.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.floe.app.FloeMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Answers 408 and closes the connection when a request's headers and body have not all arrived within the timeout of
 * its first byte, so slow senders (slow-loris) cannot hold connections. Netty's ReadTimeoutHandler only sees gaps
 * between reads, which a sender dribbling a byte at a time never leaves, hence this handler. Sits behind the HTTP codec,
 * where it sees every read of the socket (channelReadComplete), the decoded request and the response.
 */
final class RequestReadTimeout extends ChannelDuplexHandler {

    private static final byte[] PROBLEM = ("{\"type\":\"about:blank\",\"title\":\"Request Timeout\",\"status\":408,"
            + "\"detail\":\"the request did not arrive in time; nothing from it was stored\"}")
            .getBytes(StandardCharsets.UTF_8);

    private enum State {
        AWAITING_REQUEST, READING, ANSWERING
    }

    private final long timeoutMillis;
    private final FloeMetrics metrics;
    // touched only on the channel's event loop
    private State state = State.AWAITING_REQUEST;
    private ScheduledFuture<?> timeout;
    // the response being written is an interim one (100 Continue): it answers nothing
    private boolean interim;
    // the request was answered before its body had all arrived (413 over the body cap): its last chunk, when it
    // comes, ends it instead of waiting for an answer that never comes
    private boolean answeredEarly;

    RequestReadTimeout(long timeoutMillis, FloeMetrics metrics) {
        this.timeoutMillis = timeoutMillis;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            startReading(ctx);
        }
        if (msg instanceof LastHttpContent) {
            state = answeredEarly ? State.AWAITING_REQUEST : State.ANSWERING;
            answeredEarly = false;
            cancel();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        // bytes arrived that the codec has not made into a whole request yet: the first of them starts the clock
        startReading(ctx);
        super.channelReadComplete(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response) {
            interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        }
        if (msg instanceof LastHttpContent && !interim) {
            answeredEarly = state == State.READING;
            state = State.AWAITING_REQUEST;
            cancel();
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void startReading(ChannelHandlerContext ctx) {
        if (state == State.AWAITING_REQUEST) {
            state = State.READING;
            timeout = ctx.executor().schedule(() -> timedOut(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void timedOut(ChannelHandlerContext ctx) {
        if (state != State.READING || !ctx.channel().isActive()) {
            return;
        }
        state = State.ANSWERING;
        metrics.httpConnectionClosed("request-read-timeout");
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(PROBLEM));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, PROBLEM.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }
}
