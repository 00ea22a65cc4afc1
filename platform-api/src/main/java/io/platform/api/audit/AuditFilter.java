package io.platform.api.audit;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Attributes;
import io.platform.api.authorization.AuthorizationFilter;
import io.platform.api.authorization.Decision;
import io.platform.api.authorization.RequestAttributes;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records every request in the audit log, as kube-apiserver's audit filter: placed before authentication so that
 * refused requests (401, 403) are recorded too, it reads the user and request attributes the later filters leave
 * in the exchange once the response is done. Every response carries the event's id in {@code Audit-Id} (a
 * client's own {@code Audit-ID} is kept, as upstream). The policy is evaluated once the user is known; bodies are
 * captured only when the decided level asks for them, up to a size cap. Errors of the later filters and handlers
 * are rendered here by the server's exception handlers, so the recorded code is the one the client got. Later
 * stages annotate the event through {@link AuditAnnotations}.
 */
public final class AuditFilter implements WebFilter, Ordered, AutoCloseable {

    public static final String AUDIT_ID_HEADER = "Audit-Id";
    /** Kept as upstream's annotation names. */
    static final String DECISION_ANNOTATION = "authorization.k8s.io/decision";
    static final String REASON_ANNOTATION = "authorization.k8s.io/reason";
    static final String TRUNCATED_ANNOTATION = "audit.platform.io/truncated";

    /** Upstream's long-running requests: watches and these subresources get a ResponseStarted event. */
    private static final Set<String> LONG_RUNNING_SUBRESOURCES = Set.of("attach", "exec", "proxy", "log", "portforward");
    private static final int STATUS_BODY_LIMIT = 16 * 1024;
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final AuditPolicy policy;
    private final @Nullable AuditLog log;
    private final Clock clock;
    private final int maxBodySize;
    private final List<WebExceptionHandler> exceptionHandlers;

    /**
     * @param log where events go; null when auditing is off (responses still carry an {@code Audit-Id})
     * @param exceptionHandlers the server's handlers in their order, which render the errors of later filters
     */
    public AuditFilter(AuditPolicy policy, @Nullable AuditLog log, Clock clock, int maxBodySize,
            List<WebExceptionHandler> exceptionHandlers) {
        this.policy = policy;
        this.log = log;
        this.clock = clock;
        this.maxBodySize = maxBodySize;
        this.exceptionHandlers = List.copyOf(exceptionHandlers);
    }

    /** Whether events are written anywhere ({@code platform.api.audit.path} not empty). */
    boolean logging() {
        return log != null;
    }

    /** Writes the queued events and closes the log. */
    @Override
    public void close() {
        if (log != null) {
            log.close();
        }
    }

    @Override
    public int getOrder() {
        // before authentication (+10), so failed authentication and authorization are recorded too
        return Ordered.HIGHEST_PRECEDENCE + 5;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String clientId = exchange.getRequest().getHeaders().getFirst(AUDIT_ID_HEADER);
        String auditId = clientId == null || clientId.isBlank() ? UUID.randomUUID().toString() : clientId.strip();
        exchange.getResponse().getHeaders().set(AUDIT_ID_HEADER, auditId);
        if (log == null) {
            return chain.filter(exchange);
        }
        Record record = new Record(exchange, auditId, clock.instant(), AuditAnnotations.start(exchange));
        exchange.getResponse().beforeCommit(() -> {
            record.started();
            return Mono.empty();
        });
        ServerWebExchange audited = exchange.mutate()
                .request(new CapturingRequest(exchange.getRequest(), record))
                .response(new CapturingResponse(exchange.getResponse(), record))
                .build();
        return chain.filter(audited)
                .onErrorResume(error -> renderError(audited, error))
                .doFinally(record::complete);
    }

    private Mono<Void> renderError(ServerWebExchange exchange, Throwable error) {
        Mono<Void> completion = Mono.error(error);
        for (WebExceptionHandler handler : exceptionHandlers) {
            completion = completion.onErrorResume(e -> handler.handle(exchange, e));
        }
        return completion;
    }

    /** The request being audited: its decision (once the user is known), captured bodies and stages written. */
    private final class Record {
        private final ServerWebExchange exchange;
        private final String auditId;
        private final Instant received;
        private final AtomicBoolean completed = new AtomicBoolean();
        private final Capture requestBody = new Capture(maxBodySize);
        private final Capture responseBody = new Capture(Math.max(maxBodySize, STATUS_BODY_LIMIT));
        private final Map<String, String> added;
        private volatile @Nullable Decided decided;

        Record(ServerWebExchange exchange, String auditId, Instant received, Map<String, String> added) {
            this.exchange = exchange;
            this.auditId = auditId;
            this.received = received;
            this.added = added;
        }

        private record Decided(@Nullable AuthenticatedUser user, @Nullable AuthenticatedUser impersonated,
                Attributes attributes, AuditPolicy.Decision decision, boolean longRunning) {}

        /** The policy's decision, taken the first time it is needed after authentication ran. */
        Decided decided() {
            Decided current = decided;
            if (current == null) {
                AuthenticatedUser effective = AuthenticatedUser.of(exchange).orElse(null);
                AuthenticatedUser requester = exchange.getAttribute(AuditRequesterFilter.ATTRIBUTE);
                AuthenticatedUser user = requester != null ? requester : effective;
                AuthenticatedUser impersonated = requester != null && effective != null && !effective.equals(requester)
                        ? effective : null;
                Attributes attributes = attributes(effective);
                boolean longRunning = attributes.resourceRequest() && (attributes.verb().equals("watch")
                        || LONG_RUNNING_SUBRESOURCES.contains(attributes.subresource()));
                // as upstream, the policy sees the requester, not whom they impersonate
                Attributes asRequester = user == null || user.equals(attributes.user()) ? attributes
                        : new Attributes(user, attributes.verb(), attributes.resourceRequest(), attributes.path(),
                                attributes.apiGroup(), attributes.apiVersion(), attributes.resource(),
                                attributes.subresource(), attributes.namespace(), attributes.name(),
                                attributes.fieldSelector(), attributes.labelSelector());
                current = new Decided(user, impersonated, attributes, policy.evaluate(asRequester), longRunning);
                decided = current;
            }
            return current;
        }

        private Attributes attributes(@Nullable AuthenticatedUser user) {
            Attributes allowed = exchange.getAttribute(AuthorizationFilter.ATTRIBUTES);
            if (allowed != null) {
                return allowed;
            }
            // refused or unauthenticated: derive them as the authorization filter does, for a user-less request
            // as one with an empty name
            AuthenticatedUser subject = user != null ? user : new AuthenticatedUser("", List.of());
            ServerHttpRequest request = exchange.getRequest();
            String path = request.getPath().pathWithinApplication().value();
            try {
                return RequestAttributes.of(subject, request.getMethod().name(), path, request.getQueryParams());
            } catch (ApiException e) {
                return Attributes.nonResource(subject, request.getMethod().name().toLowerCase(Locale.ROOT), path);
            }
        }

        boolean capturesRequestBody() {
            return decided().decision().level().includesRequestBody();
        }

        boolean capturesResponseBody() {
            Decided current = decided();
            return current.decision().level().includesResponseBody() && !current.longRunning();
        }

        void started() {
            Decided current = decided();
            if (current.longRunning()) {
                emit(current, AuditStage.ResponseStarted);
            }
        }

        void complete(SignalType signal) {
            if (completed.compareAndSet(false, true)) {
                // an error no exception handler rendered before any answer: upstream records a handler's panic so;
                // one after the answer started (a stream cut short) completes with the code already sent
                boolean panic = signal == SignalType.ON_ERROR && !exchange.getResponse().isCommitted();
                emit(decided(), panic ? AuditStage.Panic : AuditStage.ResponseComplete);
            }
        }

        private void emit(Decided current, AuditStage stage) {
            AuditLevel level = current.decision().level();
            if (level == AuditLevel.None || current.decision().omitStages().contains(stage) || log == null) {
                return;
            }
            log.add(Json.bytes(event(current, stage, level)));
        }

        private ObjectNode event(Decided current, AuditStage stage, AuditLevel level) {
            ServerHttpRequest request = exchange.getRequest();
            Attributes attributes = current.attributes();
            ObjectNode event = Json.object();
            event.put("kind", "Event");
            event.put("apiVersion", AuditPolicy.API_VERSION);
            event.put("level", level.name());
            event.put("auditID", auditId);
            event.put("stage", stage.name());
            String query = request.getURI().getRawQuery();
            event.put("requestURI", request.getURI().getRawPath() + (query == null ? "" : "?" + query));
            event.put("verb", attributes.verb());
            putUser(event.putObject("user"), current.user());
            if (current.impersonated() != null) {
                putUser(event.putObject("impersonatedUser"), current.impersonated());
            }
            ArrayNode sourceIps = event.putArray("sourceIPs");
            sourceIps(request).forEach(sourceIps::add);
            String userAgent = request.getHeaders().getFirst(HttpHeaders.USER_AGENT);
            if (userAgent != null) {
                event.put("userAgent", userAgent);
            }
            if (attributes.resourceRequest()) {
                ObjectNode ref = event.putObject("objectRef");
                putIfNotEmpty(ref, "resource", attributes.resource());
                putIfNotEmpty(ref, "namespace", attributes.namespace());
                putIfNotEmpty(ref, "name", attributes.name());
                putIfNotEmpty(ref, "apiGroup", attributes.apiGroup());
                putIfNotEmpty(ref, "apiVersion", attributes.apiVersion());
                putIfNotEmpty(ref, "subresource", attributes.subresource());
            }
            event.set("responseStatus", responseStatus(stage));
            List<String> truncated = new ArrayList<>();
            if (level.includesRequestBody()) {
                addBody(event, "requestObject", requestBody, truncated);
            }
            if (stage == AuditStage.ResponseComplete && level.includesResponseBody() && !current.longRunning()) {
                addBody(event, "responseObject", responseBody, truncated);
            }
            event.put("requestReceivedTimestamp", MICRO_TIME.format(received));
            event.put("stageTimestamp", MICRO_TIME.format(clock.instant()));
            ObjectNode annotations = Json.object();
            if (exchange.getAttribute(AuthorizationFilter.ATTRIBUTES) != null) {
                annotations.put(DECISION_ANNOTATION, "allow");
            } else if (current.user() != null && statusCode() == 403) {
                annotations.put(DECISION_ANNOTATION, "forbid");
            }
            Decision decision = exchange.getAttribute(AuthorizationFilter.DECISION);
            if (decision != null && !decision.reason().isEmpty()) {
                annotations.put(REASON_ANNOTATION, decision.reason());
            }
            if (!truncated.isEmpty()) {
                annotations.put(TRUNCATED_ANNOTATION, String.join(",", truncated));
            }
            // what admission added so far (PodSecurity's), as upstream's audit annotations
            added.forEach((key, value) -> {
                if (!annotations.has(key)) {
                    annotations.put(key, value);
                }
            });
            if (!annotations.isEmpty()) {
                event.set("annotations", annotations);
            }
            return event;
        }

        private int statusCode() {
            var status = exchange.getResponse().getStatusCode();
            return status == null ? 200 : status.value();
        }

        private ObjectNode responseStatus(AuditStage stage) {
            ObjectNode status = Json.object();
            status.putObject("metadata");
            int code = stage == AuditStage.Panic ? 500 : statusCode();
            status.put("code", code);
            if (code >= 400 && stage != AuditStage.ResponseStarted) {
                JsonNode body = responseBody.json();
                status.put("status", "Failure");
                if (body != null && "Status".equals(body.path("kind").asString(""))) {
                    putIfNotEmpty(status, "reason", body.path("reason").asString(""));
                    putIfNotEmpty(status, "message", body.path("message").asString(""));
                }
            }
            return status;
        }

        private void addBody(ObjectNode event, String field, Capture capture, List<String> truncated) {
            if (capture.overflowed()) {
                truncated.add(field);
                return;
            }
            JsonNode body = capture.json();
            if (body != null) {
                event.set(field, body);
            }
        }
    }

    /** A prefix of a body, kept while it fits under the cap. */
    private static final class Capture {
        private final int limit;
        private byte[] bytes = new byte[0];
        private boolean overflowed;

        Capture(int limit) {
            this.limit = limit;
        }

        synchronized void add(DataBuffer buffer) {
            int readable = buffer.readableByteCount();
            if (overflowed || bytes.length + readable > limit) {
                overflowed = true;
                bytes = new byte[0];
                return;
            }
            byte[] grown = java.util.Arrays.copyOf(bytes, bytes.length + readable);
            buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(grown), bytes.length, readable);
            bytes = grown;
        }

        synchronized boolean overflowed() {
            return overflowed;
        }

        /** The body as JSON; null when empty, too large or not JSON (e.g. protobuf). */
        synchronized @Nullable JsonNode json() {
            if (overflowed || bytes.length == 0) {
                return null;
            }
            try {
                return Json.parseObject(bytes);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    private static final class CapturingRequest extends ServerHttpRequestDecorator {
        private final Record record;

        CapturingRequest(ServerHttpRequest delegate, Record record) {
            super(delegate);
            this.record = record;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            // decided when the handler reads the body, after authentication and authorization
            return Flux.defer(() -> record.capturesRequestBody()
                    ? super.getBody().doOnNext(record.requestBody::add) : super.getBody());
        }
    }

    private static final class CapturingResponse extends ServerHttpResponseDecorator {
        private final Record record;

        CapturingResponse(ServerHttpResponse delegate, Record record) {
            super(delegate);
            this.record = record;
        }

        private boolean capture() {
            var status = getStatusCode();
            return record.capturesResponseBody() || (status != null && status.value() >= 400);
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            return Mono.defer(() -> capture()
                    ? super.writeWith(Flux.from(body).doOnNext(record.responseBody::add)) : super.writeWith(body));
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return Mono.defer(() -> capture()
                    ? super.writeAndFlushWith(Flux.from(body).map(part -> Flux.from(part).doOnNext(record.responseBody::add)))
                    : super.writeAndFlushWith(body));
        }
    }

    private static List<String> sourceIps(ServerHttpRequest request) {
        // as upstream's SourceIPs: X-Forwarded-For, X-Real-Ip, then the connection's peer
        Set<String> ips = new LinkedHashSet<>();
        String forwarded = request.getHeaders().getFirst("X-Forwarded-For");
        if (forwarded != null) {
            for (String ip : forwarded.split(",")) {
                if (!ip.isBlank()) {
                    ips.add(ip.strip());
                }
            }
        }
        String real = request.getHeaders().getFirst("X-Real-Ip");
        if (real != null && !real.isBlank()) {
            ips.add(real.strip());
        }
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote != null && remote.getAddress() != null) {
            ips.add(remote.getAddress().getHostAddress());
        }
        return List.copyOf(ips);
    }

    /** user.Info as upstream's audit UserInfo: username, uid, groups, extra (only what is set). */
    private static void putUser(ObjectNode node, @Nullable AuthenticatedUser user) {
        if (user == null) {
            return;
        }
        node.put("username", user.name());
        putIfNotEmpty(node, "uid", user.uid());
        ArrayNode groups = node.putArray("groups");
        user.groups().forEach(groups::add);
        if (!user.extra().isEmpty()) {
            ObjectNode extra = node.putObject("extra");
            user.extra().forEach((key, values) -> {
                ArrayNode array = extra.putArray(key);
                values.forEach(array::add);
            });
        }
    }

    private static void putIfNotEmpty(ObjectNode node, String field, String value) {
        if (!value.isEmpty()) {
            node.put(field, value);
        }
    }
}
