package io.platform.api.admission;

import tools.jackson.databind.node.ObjectNode;

/**
 * One admission plugin, as kube-apiserver's admission.MutationInterface and ValidationInterface in one: a Spring
 * bean, ordered with {@link org.springframework.core.annotation.Order} (see {@link AdmissionOrder}; mutating plugins
 * run in that order, then the type's validation, then the validating ones in that order). A plugin refuses a request
 * by throwing an {@link io.platform.api.errors.ApiException} (403 Forbidden for policy, 422 Invalid for bad content)
 * whose message names the plugin's reason, as upstream's plugins word theirs. Plugins answer warnings through
 * {@link AdmissionRequest#warnings()} and annotate the request's audit event through
 * {@link AdmissionRequest#auditAnnotations()}.
 */
public interface AdmissionPlugin {

    /** The plugin's upstream name, e.g. {@code NamespaceLifecycle}, for logs and the disabled-plugins setting. */
    String name();

    /** Changes {@link AdmissionRequest#object()} in place (defaults, injected volumes); runs before validation. */
    default void mutate(AdmissionRequest request) {
    }

    /** Refuses the request by throwing; must not change the object. */
    default void validate(AdmissionRequest request) {
    }

    /**
     * Runs after the write was stored (never for dry runs), for plugins that keep other objects in step with it, as
     * upstream's controllers do a moment later (quota usage after a delete). Must not throw for the write's sake: the
     * write has happened.
     *
     * @param stored the object as stored; for a delete, the object as last stored (marked or removed)
     */
    default void committed(AdmissionRequest request, ObjectNode stored) {
    }
}
