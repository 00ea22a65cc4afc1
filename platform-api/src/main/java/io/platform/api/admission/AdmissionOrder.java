package io.platform.api.admission;

/**
 * The {@link org.springframework.core.annotation.Order} of the built-in plugins, in kube-apiserver's recommended
 * order of its --enable-admission-plugins (NamespaceLifecycle first, ResourceQuota last); plugins written elsewhere
 * take the slot of their upstream namesake.
 */
public final class AdmissionOrder {

    public static final int NAMESPACE_LIFECYCLE = 100;
    public static final int LIMIT_RANGER = 200;
    public static final int SERVICE_ACCOUNT = 300;
    public static final int NODE_RESTRICTION = 400;
    public static final int POD_SECURITY = 500;
    public static final int PRIORITY = 600;
    public static final int DEFAULT_TOLERATION_SECONDS = 700;
    /** RBAC's escalation checks and other validating plugins without an upstream slot. */
    public static final int POLICY = 800;
    public static final int RESOURCE_QUOTA = 1000;

    private AdmissionOrder() {}
}
