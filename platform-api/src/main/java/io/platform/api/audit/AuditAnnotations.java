package io.platform.api.audit;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.springframework.web.server.ServerWebExchange;

/**
 * Annotations the later stages of a request add to its audit event, as upstream's {@code audit.AddAuditAnnotation}
 * (admission plugins' {@code pod-security.kubernetes.io/*}): the audit filter keeps one map per audited request in
 * the exchange and writes what it holds into every event it emits afterwards. Keys are kept sorted, as Go writes a
 * map's keys.
 */
public final class AuditAnnotations {

    static final String ATTRIBUTE = AuditAnnotations.class.getName();

    private AuditAnnotations() {}

    /** The request's audit annotations; a map nothing reads when the request is not audited. */
    public static Map<String, String> of(ServerWebExchange exchange) {
        Map<String, String> annotations = exchange.getAttribute(ATTRIBUTE);
        return annotations != null ? annotations : new ConcurrentSkipListMap<>();
    }

    /** Starts the request's annotations; called by the audit filter before anything can add to them. */
    static Map<String, String> start(ServerWebExchange exchange) {
        Map<String, String> annotations = new ConcurrentSkipListMap<>();
        exchange.getAttributes().put(ATTRIBUTE, annotations);
        return annotations;
    }
}
