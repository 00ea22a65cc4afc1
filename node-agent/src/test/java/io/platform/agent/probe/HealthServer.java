package io.platform.agent.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A JDK HTTP server on a random loopback port answering each path with a status the test sets. */
final class HealthServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Requests to {@code /stall} wait on this until the test or {@link #close()} releases it. */
    final CountDownLatch release = new CountDownLatch(1);

    record Request(String path, Map<String, List<String>> headers) {}

    HealthServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void status(String path, int status) {
        statuses.put(path, status);
    }

    /** {@code path} answers 302 to {@code location}. */
    void redirect(String path, String location) {
        redirects.put(path, location);
    }

    int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders())));
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            if (path.equals("/stall")) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String location = redirects.get(path);
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            byte[] body = "ok".getBytes();
            exchange.sendResponseHeaders(statuses.getOrDefault(path, 404), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
