package io.platform.api.resource;

import io.platform.api.auth.AuthenticatedUser;
import java.util.ArrayList;
import java.util.List;

/**
 * Who asks for a write and where its admission warnings go: the request's user (the API server itself for its own
 * writes) and the subresource written through, empty for the object itself. Warnings of a successful write are added
 * to {@code warnings} for the response's {@code Warning} headers.
 */
public record WriteContext(AuthenticatedUser user, String subresource, List<String> warnings) {

    /** The API server's own identity for internal writes, as upstream's loopback client (a system:masters member). */
    public static final AuthenticatedUser API_SERVER = new AuthenticatedUser("system:apiserver",
            List.of("system:masters", AuthenticatedUser.ALL_AUTHENTICATED));

    /** A write by {@code user} to the object itself. */
    public static WriteContext of(AuthenticatedUser user) {
        return new WriteContext(user, "", new ArrayList<>());
    }

    /** A write the API server makes itself (namespace deletion, default namespaces, an eviction's delete). */
    public static WriteContext system() {
        return of(API_SERVER);
    }

    /** The same user and warnings, writing through {@code name}. */
    public WriteContext subresource(String name) {
        return new WriteContext(user, name, warnings);
    }
}
