package io.platform.api.authorization;

import io.platform.api.auth.AuthenticatedUser;

/**
 * What a request asks to do, as kube-apiserver's authorizer.Attributes: who, which verb, and either a resource
 * (group, version, resource, subresource, namespace, name) or a non-resource path. Absent parts are "", as
 * upstream.
 *
 * @param verb for resource requests get, list, watch, create, update, patch, delete, deletecollection (or a
 *     special verb such as proxy); for non-resource requests the lower-case HTTP method
 * @param fieldSelector the raw field selector of a list, watch or deletecollection ("" when none)
 * @param labelSelector the raw label selector of a list, watch or deletecollection ("" when none)
 */
public record Attributes(
        AuthenticatedUser user,
        String verb,
        boolean resourceRequest,
        String path,
        String apiGroup,
        String apiVersion,
        String resource,
        String subresource,
        String namespace,
        String name,
        String fieldSelector,
        String labelSelector) {

    /** A request on a resource. */
    public static Attributes resource(AuthenticatedUser user, String verb, String apiGroup, String apiVersion,
            String resource, String subresource, String namespace, String name) {
        return new Attributes(user, verb, true, "", apiGroup, apiVersion, resource, subresource, namespace, name,
                "", "");
    }

    /** A request on a path outside the resource APIs ({@code /version}, {@code /openapi/v3}, {@code /apis}). */
    public static Attributes nonResource(AuthenticatedUser user, String verb, String path) {
        return new Attributes(user, verb, false, path, "", "", "", "", "", "", "", "");
    }

    /** These attributes with the selectors of a list, watch or deletecollection. */
    public Attributes withSelectors(String fieldSelector, String labelSelector) {
        return new Attributes(user, verb, resourceRequest, path, apiGroup, apiVersion, resource, subresource,
                namespace, name, fieldSelector, labelSelector);
    }
}
