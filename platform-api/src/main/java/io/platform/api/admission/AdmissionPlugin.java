package io.platform.api.admission;

/**
 * One admission plugin, as kube-apiserver's admission.MutationInterface and ValidationInterface in one: a Spring
 * bean, ordered with {@link org.springframework.core.annotation.Order} (mutating plugins run in that order, then the
 * validating ones in that order). A plugin refuses a request by throwing an
 * {@link io.platform.api.errors.ApiException} (403 Forbidden for policy, 422 Invalid for bad content) whose message
 * names the plugin's reason, as upstream's plugins word theirs.
 */
public interface AdmissionPlugin {

    /** The plugin's upstream name, e.g. {@code NamespaceLifecycle}, for logs and the enabled-plugins setting. */
    String name();

    /** Changes {@link AdmissionRequest#object()} in place (defaults, injected volumes); runs before validation. */
    default void mutate(AdmissionRequest request) {
    }

    /** Refuses the request by throwing; must not change the object. */
    default void validate(AdmissionRequest request) {
    }
}
