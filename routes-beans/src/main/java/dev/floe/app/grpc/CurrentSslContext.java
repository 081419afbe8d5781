package dev.floe.app.grpc;

import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;

/**
 * A server context that is whichever one its source holds when a connection comes: grpc-java's server takes one
 * {@link SslContext} when it is built, and this lets a renewed certificate reach new connections without a restart, as
 * on the HTTP port (Netty's own {@code DelegatingSslContext} holds one context for good).
 */
final class CurrentSslContext extends SslContext {

    private final Supplier<SslContext> current;

    CurrentSslContext(Supplier<SslContext> current) {
        this.current = current;
    }

    @Override
    public boolean isClient() {
        return false;
    }

    @Override
    public List<String> cipherSuites() {
        return current.get().cipherSuites();
    }

    @Override
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return current.get().applicationProtocolNegotiator();
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator allocator) {
        return current.get().newEngine(allocator);
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator allocator, String peerHost, int peerPort) {
        return current.get().newEngine(allocator, peerHost, peerPort);
    }

    @Override
    public SSLSessionContext sessionContext() {
        return current.get().sessionContext();
    }
}
