package io.platform.api.resource;

import io.platform.api.auth.AuthenticatedUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Who asks for a write and where its admission warnings and audit annotations go: the request's user (the API server
 * itself for its own writes) and the subresource written through, empty for the object itself. Warnings of a
 * successful write are added to {@code warnings} for the response's {@code Warning} headers; admission plugins'
 * audit annotations go straight to {@code auditAnnotations}, the request's audit event's (refused writes keep them).
 */
public record WriteContext(AuthenticatedUser user, String subresource, List<String> warnings,
        Map<String, String> auditAnnotations) {

    /** The API server's own identity for internal writes, as upstream's loopback client (a system:masters member). */
    public static final AuthenticatedUser API_SERVER = new AuthenticatedUser("system:apiserver",
            List.of("system:masters", AuthenticatedUser.ALL_AUTHENTICATED));

    /** A write by {@code user} to the object itself, in no audited request. */
    public static WriteContext of(AuthenticatedUser user) {
        return of(user, new ConcurrentSkipListMap<>());
    }

    /** A write by {@code user} to the object itself, annotating the audit event of the request behind it. */
    public static WriteContext of(AuthenticatedUser user, Map<String, String> auditAnnotations) {
        return new WriteContext(user, "", new ArrayList<>(), auditAnnotations);
    }

    /** A write the API server makes itself (namespace deletion, default namespaces, an eviction's delete). */
    public static WriteContext system() {
        return of(API_SERVER);
    }

    /** The same user, warnings and audit annotations, writing through {@code name}. */
    public WriteContext subresource(String name) {
        return new WriteContext(user, name, warnings, auditAnnotations);
    }
}
