package io.platform.common.http;

/**
 * Keeps HTTP/1.1 keep-alive connections of a Reactor Netty server reading. Reactor Netty 1.3.7
 * can stop reading a connection for good when the next request arrives before the previous
 * exchange has finished terminating (reactor/reactor-netty#4361, fixed in 1.3.8, which needs a
 * Netty release not available here): kubectl's POST, GET, POST on one connection then hangs. Its
 * {@code lastFlushWhenNoRead} mode terminates each exchange before the next request is read, which
 * closes that route (clients here never pipeline, the other route into the bug).
 */
public final class KeepAliveReads {

    static final String PROPERTY = "reactor.netty.http.server.lastFlushWhenNoRead";

    private KeepAliveReads() {}

    /** Must run before the server accepts its first connection; the setting is JVM-wide. */
    public static void enable() {
        System.setProperty(PROPERTY, "true");
    }
}
