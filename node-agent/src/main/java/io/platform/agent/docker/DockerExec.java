package io.platform.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import io.platform.agent.runtime.ExecRequest;
import io.platform.agent.runtime.ExecSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * An exec or attach on the Docker engine. The engine's stream is taken over ("hijacked") on a socket of our own
 * rather than through docker-java, because closing stdin must half-close that socket (the engine then closes the
 * process's stdin, as {@code kubectl exec -i ... cat} needs) and docker-java's transport never does.
 */
final class DockerExec implements ExecSession {

    private static final int STDOUT = 1;
    private static final int STDERR = 2;

    private final DockerClient docker;
    private final SocketChannel socket;
    private final Kind kind;
    private final String id;
    private final boolean tty;
    private final BytePipe stdout = new BytePipe();
    private final BytePipe stderr = new BytePipe();
    private final OutputStream stdin;
    private final CountDownLatch ended = new CountDownLatch(1);

    private enum Kind { EXEC, ATTACH }

    private DockerExec(DockerClient docker, SocketChannel socket, Kind kind, String id, boolean tty, boolean endStdin,
            InputStream stream) {
        this.docker = docker;
        this.socket = socket;
        this.kind = kind;
        this.id = id;
        this.tty = tty;
        this.stdin = new StdinStream(socket, endStdin);
        Thread.ofVirtual().name("docker-" + kind.name().toLowerCase(Locale.ROOT) + "-" + id).start(() -> pump(stream));
    }

    /** Creates the exec instance and starts it attached to a socket of ours. */
    static ExecSession exec(DockerClient docker, String dockerHost, String containerId, ExecRequest request)
            throws IOException {
        String execId;
        try {
            execId = docker.execCreateCmd(containerId)
                    .withCmd(request.command().toArray(String[]::new))
                    .withAttachStdin(request.stdin())
                    .withAttachStdout(request.stdout())
                    .withAttachStderr(request.stderr())
                    .withTty(request.tty())
                    .exec()
                    .getId();
        } catch (DockerException e) {
            throw new IOException(e.getMessage(), e);
        }
        String body = "{\"Detach\":false,\"Tty\":" + request.tty() + "}";
        Hijacked hijacked = hijack(dockerHost, "/exec/" + execId + "/start", body);
        return new DockerExec(docker, hijacked.socket(), Kind.EXEC, execId, request.tty(), true, hijacked.stream());
    }

    /** Attaches to the container's main process; its terminal is the container's own. */
    static ExecSession attach(DockerClient docker, String dockerHost, String containerId, ExecRequest request)
            throws IOException {
        boolean tty;
        boolean stdinOnce;
        try {
            InspectContainerResponse inspect = docker.inspectContainerCmd(containerId).exec();
            if (!Boolean.TRUE.equals(inspect.getState().getRunning())) {
                throw new IOException("container " + containerId + " is not running");
            }
            tty = Boolean.TRUE.equals(inspect.getConfig().getTty());
            stdinOnce = Boolean.TRUE.equals(inspect.getConfig().getStdInOnce());
        } catch (DockerException e) {
            throw new IOException(e.getMessage(), e);
        }
        String path = "/containers/" + containerId + "/attach?stream=1&stdin=" + flag(request.stdin()) + "&stdout="
                + flag(request.stdout()) + "&stderr=" + flag(request.stderr());
        Hijacked hijacked = hijack(dockerHost, path, "");
        // a client ending its input only ends the container's stdin when the container says so (stdinOnce); else
        // the engine would end the whole attach at once, dropping the output still on its way
        return new DockerExec(docker, hijacked.socket(), Kind.ATTACH, containerId, tty, stdinOnce, hijacked.stream());
    }

    private static String flag(boolean value) {
        return value ? "1" : "0";
    }

    private record Hijacked(SocketChannel socket, InputStream stream) {}

    /** Sends the upgrade request and reads the engine's 101 (or 200) head; the rest of the socket is the stream. */
    private static Hijacked hijack(String dockerHost, String path, String body) throws IOException {
        SocketChannel socket = connect(dockerHost);
        try {
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST /v1.41" + path + " HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + content.length + "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(head.getBytes(StandardCharsets.US_ASCII));
            request.write(content);
            ByteBuffer buffer = ByteBuffer.wrap(request.toByteArray());
            while (buffer.hasRemaining()) {
                socket.write(buffer);
            }
            InputStream in = Channels.newInputStream(socket);
            String status = readLine(in);
            String line;
            StringBuilder headers = new StringBuilder();
            while (!(line = readLine(in)).isEmpty()) {
                headers.append(line).append('\n');
            }
            if (!status.contains(" 101 ") && !status.contains(" 200 ")) {
                byte[] error = in.readNBytes(4096);
                throw new IOException(new String(error, StandardCharsets.UTF_8).replaceAll("[{}\"]|message:", "").trim());
            }
            return new Hijacked(socket, in);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static SocketChannel connect(String dockerHost) throws IOException {
        URI uri = URI.create(dockerHost);
        if ("unix".equals(uri.getScheme())) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(uri.getPath()));
            return channel;
        }
        if ("tcp".equals(uri.getScheme())) {
            return SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
        }
        throw new IOException("exec needs a unix:// or tcp:// Docker endpoint, not " + dockerHost);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("the Docker engine closed the connection");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Copies the engine's stream into stdout and stderr: raw with a terminal, else the engine's 8-byte framed form. */
    private void pump(InputStream in) {
        try {
            if (tty) {
                in.transferTo(stdout.sink());
            } else {
                byte[] header = new byte[8];
                while (in.readNBytes(header, 0, 8) == 8) {
                    int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                            | (header[7] & 0xff);
                    byte[] payload = in.readNBytes(size);
                    (header[0] == STDERR ? stderr : stdout).sink().write(payload);
                    if (header[0] != STDOUT && header[0] != STDERR && payload.length == 0) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            // the session was closed while reading: the streams end here
        } finally {
            stdout.end();
            stderr.end();
            ended.countDown();
        }
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        return stdout.source();
    }

    @Override
    public InputStream stderr() {
        return stderr.source();
    }

    @Override
    public void resize(int width, int height) {
        if (!tty || width <= 0 || height <= 0) {
            return;
        }
        try {
            if (kind == Kind.EXEC) {
                docker.resizeExecCmd(id).withSize(height, width).exec();
            } else {
                docker.resizeContainerCmd(id).withSize(height, width).exec();
            }
        } catch (DockerException e) {
            // a resize racing the end of the process: nothing left to resize
        }
    }

    @Override
    public int awaitExit() throws InterruptedException {
        ended.await();
        try {
            if (kind == Kind.EXEC) {
                Long code = docker.inspectExecCmd(id).exec().getExitCodeLong();
                return code == null ? 0 : code.intValue();
            }
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
            return Boolean.TRUE.equals(state.getRunning()) || state.getExitCodeLong() == null ? 0
                    : state.getExitCodeLong().intValue();
        } catch (DockerException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** The process's stdin: closing it half-closes the socket, which the engine turns into end of file. */
    private static final class StdinStream extends OutputStream {
        private final SocketChannel socket;
        private final boolean endOnClose;

        StdinStream(SocketChannel socket, boolean endOnClose) {
            this.socket = socket;
            this.endOnClose = endOnClose;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            synchronized (this) {
                while (buffer.hasRemaining()) {
                    socket.write(buffer);
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (endOnClose && socket.isOpen()) {
                socket.shutdownOutput();
            }
        }
    }

    /** A blocking in-memory pipe between the pumping thread and the reader; unbounded, as the output is read as it comes. */
    static final class BytePipe {
        private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
        private boolean closed;
        private int offset;

        synchronized void end() {
            closed = true;
            notifyAll();
        }

        OutputStream sink() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int off, int len) {
                    if (len == 0) {
                        return;
                    }
                    byte[] copy = Arrays.copyOfRange(bytes, off, off + len);
                    synchronized (BytePipe.this) {
                        chunks.add(copy);
                        BytePipe.this.notifyAll();
                    }
                }

                @Override
                public void close() {
                    end();
                }
            };
        }

        InputStream source() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] bytes, int off, int len) throws IOException {
                    synchronized (BytePipe.this) {
                        while (chunks.isEmpty() && !closed) {
                            try {
                                BytePipe.this.wait();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new InterruptedIOException();
                            }
                        }
                        if (chunks.isEmpty()) {
                            return -1;
                        }
                        byte[] head = chunks.peek();
                        int n = Math.min(len, head.length - offset);
                        System.arraycopy(head, offset, bytes, off, n);
                        offset += n;
                        if (offset == head.length) {
                            chunks.poll();
                            offset = 0;
                        }
                        return n;
                    }
                }
            };
        }
    }
}
