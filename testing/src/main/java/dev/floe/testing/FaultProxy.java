package dev.floe.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on loopback in front of a real server, that injects network faults: delay, reset, black hole, and "the
 * request went through but its response was lost". Written by hand because no library on Maven Central does the last
 * one, which is the fault a commit protocol must survive (the catalog applied the commit, the client never heard).
 * <p>
 * Each accepted connection gets its own connection to the target and two pump threads. Faults apply to connections
 * already open as well as new ones.
 */
public final class FaultProxy implements AutoCloseable {

    /** What the proxy does with traffic. */
    public enum Mode {
        /** Forward both ways (after the configured delay). */
        PASS,
        /** Reset every open connection, and every new one as soon as it is accepted. */
        RESET,
        /** Accept and read everything, forward and answer nothing. */
        BLACK_HOLE
    }

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Pipe> pipes = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.PASS);
    private final AtomicReference<String> dropResponseTo = new AtomicReference<>();
    private final AtomicInteger droppedResponses = new AtomicInteger();
    private volatile long delayMillis;
    private volatile long resetAfterDropMillis;
    private volatile long resetUntilNanos = System.nanoTime();
    private volatile boolean closed;

    private FaultProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** Starts a proxy on a free loopback port that forwards to {@code 127.0.0.1:targetPort}. */
    public static FaultProxy start(int targetPort) {
        try {
            ServerSocket listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            FaultProxy proxy = new FaultProxy(listener,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
            thread("fault-proxy-accept-" + listener.getLocalPort(), proxy::acceptLoop).start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("the fault proxy could not listen", e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Switches the mode; RESET also resets every connection open now. */
    public void mode(Mode next) {
        mode.set(next);
        if (next == Mode.RESET) {
            pipes.forEach(Pipe::reset);
        }
    }

    /** Holds every chunk this long before forwarding it, both ways. */
    public void delay(long millis) {
        this.delayMillis = millis;
    }

    /**
     * The next request whose first bytes start with {@code requestPrefix} (for HTTP: a request line such as
     * {@code POST /v1/namespaces/db/tables/t}) reaches the server; its response is swallowed and the client's
     * connection reset.
     */
    public void dropNextResponseTo(String requestPrefix) {
        dropNextResponseTo(requestPrefix, 0);
    }

    /**
     * As {@link #dropNextResponseTo(String)}, and then resets every connection for {@code thenResetMillis}, as a
     * catalog that applied a commit and went away would: the reads that should settle the commit's outcome fail too.
     */
    public void dropNextResponseTo(String requestPrefix, long thenResetMillis) {
        resetAfterDropMillis = thenResetMillis;
        dropResponseTo.set(requestPrefix);
    }

    /** Clears every fault: forward everything at once from now on. */
    public void heal() {
        dropResponseTo.set(null);
        delayMillis = 0;
        resetUntilNanos = System.nanoTime();
        mode.set(Mode.PASS);
    }

    /** How many responses were swallowed so far. */
    public int droppedResponses() {
        return droppedResponses.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        pipes.forEach(Pipe::reset);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (resetting()) {
                resetQuietly(client);
                continue;
            }
            Pipe pipe = new Pipe(client);
            pipes.add(pipe);
            thread("fault-proxy-pipe-" + client.getPort(), pipe::open).start();
        }
    }

    /** One client connection and its connection to the target. */
    private final class Pipe {

        private final Socket client;
        private volatile Socket server;
        private volatile boolean swallowResponse;

        Pipe(Socket client) {
            this.client = client;
        }

        void open() {
            try {
                if (mode.get() == Mode.BLACK_HOLE) {
                    drain(client.getInputStream());
                    return;
                }
                server = new Socket();
                server.connect(target, 5_000);
                thread("fault-proxy-up-" + client.getPort(), this::upstream).start();
                downstream();
            } catch (IOException e) {
                reset();
            }
        }

        private void upstream() {
            try {
                InputStream in = client.getInputStream();
                OutputStream out = server.getOutputStream();
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    String armed = dropResponseTo.get();
                    if (armed != null && startsWith(buffer, n, armed) && dropResponseTo.compareAndSet(armed, null)) {
                        swallowResponse = true;
                    }
                    forward(out, buffer, n);
                }
                server.shutdownOutput();
            } catch (IOException e) {
                reset();
            }
        }

        private void downstream() {
            try {
                InputStream in = server.getInputStream();
                OutputStream out = client.getOutputStream();
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (swallowResponse) {
                        // the server answered the armed request: the client never hears of it
                        droppedResponses.incrementAndGet();
                        long resetFor = resetAfterDropMillis;
                        if (resetFor > 0) {
                            resetUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(resetFor);
                            pipes.forEach(Pipe::reset);
                        }
                        reset();
                        return;
                    }
                    forward(out, buffer, n);
                }
                client.shutdownOutput();
            } catch (IOException e) {
                reset();
            }
        }

        /** Forwards a chunk after the delay, unless the proxy is a black hole now. */
        private void forward(OutputStream out, byte[] buffer, int n) throws IOException {
            long delay = delayMillis;
            if (delay > 0) {
                try {
                    TimeUnit.MILLISECONDS.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SocketException("interrupted");
                }
            }
            if (mode.get() == Mode.BLACK_HOLE) {
                return;
            }
            if (resetting()) {
                reset();
                throw new SocketException("reset by the fault proxy");
            }
            out.write(buffer, 0, n);
            out.flush();
        }

        void reset() {
            pipes.remove(this);
            resetQuietly(client);
            if (server != null) {
                resetQuietly(server);
            }
        }
    }

    private boolean resetting() {
        return mode.get() == Mode.RESET || System.nanoTime() - resetUntilNanos < 0;
    }

    private static boolean startsWith(byte[] buffer, int length, String prefix) {
        byte[] wanted = prefix.getBytes(StandardCharsets.ISO_8859_1);
        if (length < wanted.length) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (buffer[i] != wanted[i]) {
                return false;
            }
        }
        return true;
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        while (in.read(buffer) >= 0) {
            // a black hole reads and never answers
        }
    }

    /** Closes with an RST rather than a FIN, as a crashed peer or a middlebox would. */
    private static void resetQuietly(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
                socket.close();
            }
        } catch (IOException e) {
            // already gone
        }
    }

    private static Thread thread(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
