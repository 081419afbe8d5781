package dev.floe.app.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A bare TCP connection to the ingest port, for what an HTTP client library will not do: dribble bytes, send nothing,
 * send 10 MB of headers. Reads the server's answer as it comes.
 */
final class RawHttp implements AutoCloseable {

    /** The status line and everything after it up to the end of the body (Content-Length) or of the stream. */
    record Answer(int status, String text) {
    }

    final Socket socket;

    RawHttp(int port) throws IOException {
        socket = new Socket();
        // a bound on every read, so a test can never hang on a server that says nothing
        socket.setSoTimeout(60_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    }

    void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** True when the server has closed the connection (end of stream or reset), false if it sent a byte instead. */
    boolean closedByServer() throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Reads one response: status line, headers, and a body of Content-Length bytes. */
    Answer answer() throws IOException {
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Answer(status, head + new String(body, StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r'
                    && bytes[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        throw new IOException("connection closed before a response: " + head.toString(StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
