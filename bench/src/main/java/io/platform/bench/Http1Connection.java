package io.platform.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One keep-alive HTTPS/1.1 connection used by one load-generating thread at a time: blocking writes of a request
 * and reads of its answer, with nothing between. A general-purpose client (the JDK's {@code HttpClient} took 12-17 %
 * of this JVM's CPU in profiles, mostly in its selector and executor hand-offs) costs the API server CPU the raw
 * store phase never pays; this one costs little more than TLS itself.
 */
final class Http1Connection implements AutoCloseable {

    /** A response: status code and body. */
    record Response(int status, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private final SSLSocket socket;
    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private final OutputStream out;
    private final String hostHeader;

    private Http1Connection(SSLSocket socket, String hostHeader) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.hostHeader = hostHeader;
    }

    static Http1Connection open(SSLContext tls, URI server) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.startHandshake();
            return new Http1Connection(socket, server.getHost() + ":" + server.getPort());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code POST path} with a JSON body and reads the whole answer. */
    Response postJson(String path, byte[] body) throws IOException {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + hostHeader
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        out.write(request);
        out.flush();
        return readResponse();
    }

    private Response readResponse() throws IOException {
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long contentLength = -1;
        boolean chunked = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        byte[] body;
        if (chunked) {
            body = readChunked();
        } else if (contentLength >= 0) {
            body = readBytes((int) contentLength);
        } else {
            throw new IOException("answer " + status + " has neither Content-Length nor chunked encoding");
        }
        return new Response(status, body);
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int extension = sizeLine.indexOf(';');
            int size = Integer.parseInt((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
            if (size == 0) {
                String trailer;
                do {
                    trailer = readLine();
                } while (!trailer.isEmpty());
                return body.toByteArray();
            }
            body.write(readBytes(size));
            readLine();
        }
    }

    /** One CRLF-terminated header line, without the CRLF. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            if (position == limit) {
                fill();
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            line.append(new String(buffer, start, position - start, StandardCharsets.ISO_8859_1));
            if (position < limit) {
                position++;
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                return line.toString();
            }
        }
    }

    private byte[] readBytes(int count) throws IOException {
        byte[] bytes = new byte[count];
        int copied = 0;
        while (copied < count) {
            if (position == limit) {
                fill();
            }
            int chunk = Math.min(count - copied, limit - position);
            System.arraycopy(buffer, position, bytes, copied, chunk);
            position += chunk;
            copied += chunk;
        }
        return bytes;
    }

    private void fill() throws IOException {
        int read = in.read(buffer);
        if (read < 0) {
            throw new IOException("connection closed by the server");
        }
        position = 0;
        limit = read;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
