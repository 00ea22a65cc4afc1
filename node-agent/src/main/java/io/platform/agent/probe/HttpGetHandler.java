package io.platform.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.ReadTimeoutException;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerRuntime;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;

/**
 * The {@code httpGet} handler, as the kubelet's HTTP prober: GET on the pod's address (or
 * {@code host}), the kubelet's default headers unless the spec sets them, HTTPS without verifying
 * the certificate, redirects followed only while they stay on the first request's host, no
 * connection reuse.
 */
final class HttpGetHandler {

    /** As Go's HTTP client the kubelet uses. */
    private static final int MAX_REDIRECTS = 10;
    /** What the Node reports as its kubelet version (v1.32). */
    private static final String USER_AGENT = "kube-probe/1.32";
    private static final String TIMEOUT = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";

    private final ContainerRuntime runtime;
    private final Clock clock;
    private final HttpClient http;

    HttpGetHandler(ContainerRuntime runtime, Clock clock) {
        this.runtime = runtime;
        this.clock = clock;
        // probes trust any certificate for any name, as the kubelet's InsecureSkipVerify
        this.http = HttpClient.newConnection()
                .secure(spec -> spec.sslContext(Http11SslContextSpec.forClient()
                        .configure(builder -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE))));
    }

    /** A probe: 200-399 succeeds, any other status or no answer fails. */
    HandlerResult probe(HTTPGetAction action, @Nullable Container container, @Nullable ContainerInstance sandbox,
            Duration timeout) throws InterruptedException {
        Response response;
        try {
            response = get(action, container, sandbox, timeout);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return HandlerResult.error(String.valueOf(e.getMessage()));
        }
        if (response.error() != null) {
            return HandlerResult.failure(response.error());
        }
        int status = response.status();
        if (status >= 200 && status < 400) {
            return HandlerResult.success(status >= 300 ? "Probe terminated redirects" : "");
        }
        return HandlerResult.failure("HTTP probe failed with statuscode: " + status);
    }

    /**
     * One GET and its redirects; {@code error} is set when no response came.
     *
     * @throws IllegalArgumentException when the action names no usable port or URL
     * @throws IllegalStateException when the pod has no address yet
     */
    Response get(HTTPGetAction action, @Nullable Container container, @Nullable ContainerInstance sandbox,
            Duration timeout) throws InterruptedException {
        int port = ContainerPorts.resolve(action.getPort(), container);
        InetSocketAddress target = address(action.getHost(), port, sandbox);
        String scheme = action.getScheme() == null || action.getScheme().isBlank()
                ? "http" : action.getScheme().toLowerCase(Locale.ROOT);
        URI first = URI.create(scheme + "://" + hostPort(target) + path(action.getPath()));
        List<HTTPHeader> headers = action.getHttpHeaders() == null ? List.of() : action.getHttpHeaders();
        Instant deadline = clock.instant().plus(timeout);
        URI uri = first;
        for (int redirects = 0; ; redirects++) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                return Response.failed(uri, "Get \"" + uri + "\": " + TIMEOUT);
            }
            Hop hop;
            try {
                hop = request(uri, headers, remaining);
            } catch (RuntimeException e) {
                Throwable cause = Exceptions.unwrap(e);
                if (cause instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
                return Response.failed(uri, "Get \"" + uri + "\": " + describe(cause));
            }
            boolean redirect = hop.status() >= 300 && hop.status() < 400 && hop.location() != null;
            if (!redirect) {
                return new Response(uri, hop.status(), null);
            }
            URI next = uri.resolve(hop.location());
            // a redirect to another host ends the probe with the redirect itself, as the kubelet's checkRedirect
            if (!Objects.equals(next.getHost(), first.getHost())) {
                return new Response(uri, hop.status(), null);
            }
            if (redirects + 1 >= MAX_REDIRECTS) {
                return Response.failed(next, "Get \"" + next + "\": stopped after " + MAX_REDIRECTS + " redirects");
            }
            uri = next;
        }
    }

    private Hop request(URI uri, List<HTTPHeader> headers, Duration timeout) {
        Hop hop = http.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())))
                // the blocking wait below ends the request quietly at the timeout; this only frees a stuck connection
                .responseTimeout(timeout.plusSeconds(1))
                .headers(h -> {
                    for (HTTPHeader header : headers) {
                        if (header.getName() != null && !header.getName().isBlank()) {
                            h.add(header.getName(), header.getValue() == null ? "" : header.getValue());
                        }
                    }
                    if (!h.contains(HttpHeaderNames.USER_AGENT)) {
                        h.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
                    }
                    if (!h.contains(HttpHeaderNames.ACCEPT)) {
                        h.set(HttpHeaderNames.ACCEPT, "*/*");
                    }
                    h.set(HttpHeaderNames.CONNECTION, "close");
                })
                .get()
                .uri(uri)
                .responseSingle((response, body) -> Mono.just(
                        new Hop(response.status().code(), response.responseHeaders().get(HttpHeaderNames.LOCATION))))
                .block(timeout);
        if (hop == null) {
            throw new IllegalStateException("no response");
        }
        return hop;
    }

    private InetSocketAddress address(@Nullable String host, int port, @Nullable ContainerInstance sandbox) {
        if (host != null && !host.isBlank()) {
            return InetSocketAddress.createUnresolved(host, port);
        }
        if (sandbox == null || sandbox.ipAddress() == null) {
            throw new IllegalStateException("the pod has no IP address yet");
        }
        return runtime.podPort(sandbox, port);
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String path(@Nullable String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return path.startsWith("/") ? path : "/" + path;
    }

    private static String describe(Throwable e) {
        if (e instanceof ReadTimeoutException || e instanceof ConnectTimeoutException
                || (e instanceof IllegalStateException && String.valueOf(e.getMessage()).startsWith("Timeout on blocking read"))) {
            return TIMEOUT;
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** The final response's status, or why none came. */
    record Response(URI url, int status, @Nullable String error) {
        static Response failed(URI url, String error) {
            return new Response(url, 0, error);
        }
    }

    private record Hop(int status, @Nullable String location) {}
}
