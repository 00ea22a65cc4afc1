package io.platform.api.strategy;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.registry.ResourceType;
import io.platform.api.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The requester of a new CertificateSigningRequest, as upstream's CSR strategy injects it on create:
 * {@code spec.username}, {@code spec.groups}, {@code spec.uid} and {@code spec.extra} come from the
 * authenticated user, whatever the client sent, so a signer and the approver's SubjectAccessReviews can trust them.
 * Client-certificate users have no uid and no extra attributes, which are then left out.
 */
public final class CertificateRequester {

    private CertificateRequester() {}

    /** Stamps {@code user} on {@code object} when it is a new certificates.k8s.io CertificateSigningRequest. */
    public static void stamp(ResourceType type, ObjectNode object, AuthenticatedUser user) {
        if (!type.group().equals("certificates.k8s.io") || !type.plural().equals("certificatesigningrequests")) {
            return;
        }
        ObjectNode spec = Json.child(object, "spec");
        spec.remove("uid");
        spec.remove("extra");
        spec.put("username", user.name());
        if (!user.uid().isEmpty()) {
            spec.put("uid", user.uid());
        }
        ArrayNode groups = spec.putArray("groups");
        user.groups().forEach(groups::add);
        if (!user.extra().isEmpty()) {
            ObjectNode extra = spec.putObject("extra");
            user.extra().forEach((key, values) -> values.forEach(extra.putArray(key)::add));
        }
    }
}
