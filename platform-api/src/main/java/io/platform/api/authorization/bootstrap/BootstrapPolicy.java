package io.platform.api.authorization.bootstrap;

import io.platform.api.authorization.rbac.PolicyRule;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The default ClusterRoles and ClusterRoleBindings, with upstream's names, labels, annotations and rules (from
 * Kubernetes' bootstrappolicy), narrowed to the resources this server serves, plus the platform's own component
 * roles. Every object is labelled {@code kubernetes.io/bootstrapping: rbac-defaults} and annotated
 * {@code rbac.authorization.kubernetes.io/autoupdate: "true"}.
 */
public final class BootstrapPolicy {

    public static final String AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";
    static final String BOOTSTRAPPING = "kubernetes.io/bootstrapping";
    static final String AGGREGATE_TO_ADMIN = "rbac.authorization.k8s.io/aggregate-to-admin";
    static final String AGGREGATE_TO_EDIT = "rbac.authorization.k8s.io/aggregate-to-edit";
    static final String AGGREGATE_TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view";
    /** The platform's own aggregation label: pieces of the web console's role. */
    static final String AGGREGATE_TO_WEB_CONSOLE = "io.platform/aggregate-to-web-console";

    /** The group of the default bootstrap token (auth-extra-groups), as kubeadm's {@code default-node-token}. */
    public static final String NODE_BOOTSTRAP_GROUP = "system:bootstrappers:platform:default-node-token";
    static final String NODES_GROUP = "system:nodes";
    static final String KUBE_APISERVER_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client";
    static final String KUBE_APISERVER_CLIENT_KUBELET_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
    static final String KUBELET_SERVING_SIGNER = "kubernetes.io/kubelet-serving";
    static final String NODE_CLIENT_ROLE = "system:certificates.k8s.io:certificatesigningrequests:nodeclient";
    static final String SELF_NODE_CLIENT_ROLE = "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient";

    static final String AUTHENTICATED = "system:authenticated";
    static final String UNAUTHENTICATED = "system:unauthenticated";

    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
    private static final List<String> READ_WRITE = List.of("get", "list", "watch", "create", "delete",
            "deletecollection", "patch", "update");
    private static final List<String> EVENT_WRITE = List.of("create", "patch", "update");

    private static final String CORE = "";
    private static final String APPS = "apps";
    private static final String AUTOSCALING = "autoscaling";
    private static final String BATCH = "batch";
    private static final String POLICY = "policy";
    private static final String NETWORKING = "networking.k8s.io";
    private static final String DISCOVERY = "discovery.k8s.io";
    private static final String COORDINATION = "coordination.k8s.io";
    private static final String EVENTS = "events.k8s.io";
    private static final String STORAGE = "storage.k8s.io";
    private static final String RBAC = "rbac.authorization.k8s.io";
    private static final String AUTHENTICATION = "authentication.k8s.io";
    private static final String AUTHORIZATION = "authorization.k8s.io";
    private static final String CERTIFICATES = "certificates.k8s.io";

    private BootstrapPolicy() {}

    private static PolicyRule rule(List<String> verbs, String group, String... resources) {
        return PolicyRule.resources(verbs, List.of(group), List.of(resources));
    }

    private static PolicyRule urls(List<String> verbs, String... urls) {
        return PolicyRule.urls(verbs, List.of(urls));
    }

    /**
     * Events, as upstream's eventsRule, with {@code get}: the platform's event recorder reads the Event it folds a
     * repeat into.
     */
    private static List<PolicyRule> eventRules() {
        List<String> verbs = List.of("get", "create", "patch", "update");
        return List.of(rule(verbs, CORE, "events"), rule(verbs, EVENTS, "events"));
    }

    /** Upstream's system:node rules (less what this server does not serve): what the Node authorizer falls back to. */
    public static List<PolicyRule> nodeRules() {
        List<PolicyRule> rules = new ArrayList<>(List.of(
                rule(List.of("create"), AUTHENTICATION, "tokenreviews"),
                rule(List.of("create"), AUTHORIZATION, "subjectaccessreviews", "localsubjectaccessreviews"),
                rule(READ, CORE, "services"),
                rule(List.of("create", "get", "list", "watch"), CORE, "nodes"),
                rule(List.of("update", "patch"), CORE, "nodes/status"),
                rule(List.of("update", "patch"), CORE, "nodes"),
                rule(READ, CORE, "pods"),
                rule(List.of("create", "delete"), CORE, "pods"),
                rule(List.of("update", "patch"), CORE, "pods/status"),
                rule(List.of("create"), CORE, "pods/eviction"),
                rule(READ, CORE, "secrets", "configmaps"),
                rule(List.of("get"), CORE, "persistentvolumeclaims", "persistentvolumes"),
                rule(List.of("get"), CORE, "endpoints"),
                rule(List.of("update", "patch"), CORE, "persistentvolumeclaims/status"),
                rule(List.of("create"), CORE, "serviceaccounts/token"),
                rule(List.of("get", "create", "update", "patch", "delete"), COORDINATION, "leases"),
                rule(List.of("create", "get", "list", "watch"), CERTIFICATES, "certificatesigningrequests"),
                rule(READ, DISCOVERY, "endpointslices"),
                rule(List.of("get"), STORAGE, "storageclasses")));
        rules.addAll(eventRules());
        return rules;
    }

    /** The default ClusterRoles, in the order they are reconciled. */
    public static List<ObjectNode> clusterRoles() {
        List<ObjectNode> roles = new ArrayList<>();
        roles.add(clusterRole("cluster-admin", Map.of(), List.of(
                rule(List.of("*"), "*", "*"),
                urls(List.of("*"), "*"))));
        roles.add(aggregated("admin", Map.of(), AGGREGATE_TO_ADMIN));
        roles.add(aggregated("edit", Map.of(AGGREGATE_TO_ADMIN, "true"), AGGREGATE_TO_EDIT));
        roles.add(aggregated("view", Map.of(AGGREGATE_TO_EDIT, "true"), AGGREGATE_TO_VIEW));
        roles.add(clusterRole("system:aggregate-to-admin", Map.of(AGGREGATE_TO_ADMIN, "true"), List.of(
                rule(READ_WRITE, RBAC, "roles", "rolebindings"),
                rule(List.of("create"), AUTHORIZATION, "localsubjectaccessreviews"))));
        roles.add(clusterRole("system:aggregate-to-edit", Map.of(AGGREGATE_TO_EDIT, "true"),
                aggregateToEdit()));
        roles.add(clusterRole("system:aggregate-to-view", Map.of(AGGREGATE_TO_VIEW, "true"),
                aggregateToView()));
        roles.add(clusterRole("system:basic-user", Map.of(), List.of(
                rule(List.of("create"), AUTHORIZATION, "selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                rule(List.of("create"), AUTHENTICATION, "selfsubjectreviews"))));
        roles.add(clusterRole("system:discovery", Map.of(), List.of(urls(List.of("get"), "/api", "/api/*", "/apis",
                "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))));
        roles.add(clusterRole("system:public-info-viewer", Map.of(), List.of(urls(List.of("get"), "/healthz",
                "/livez", "/readyz", "/version", "/version/"))));
        roles.add(clusterRole("system:service-account-issuer-discovery", Map.of(), List.of(urls(List.of("get"),
                "/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks",
                "/openid/v1/jwks/"))));
        roles.add(clusterRole("system:auth-delegator", Map.of(), List.of(
                rule(List.of("create"), AUTHENTICATION, "tokenreviews"),
                rule(List.of("create"), AUTHORIZATION, "subjectaccessreviews"))));
        roles.add(clusterRole("system:kube-scheduler", Map.of(), kubeScheduler()));
        roles.add(clusterRole("system:volume-scheduler", Map.of(), List.of(
                rule(List.of("get", "list", "watch", "patch", "update"), CORE, "persistentvolumes"),
                rule(READ, STORAGE, "storageclasses"),
                rule(List.of("get", "list", "watch", "patch", "update"), CORE, "persistentvolumeclaims"))));
        roles.add(clusterRole("system:kube-controller-manager", Map.of(), kubeControllerManager()));
        roles.add(clusterRole("system:node", Map.of(), nodeRules()));
        roles.add(clusterRole("system:node-proxier", Map.of(), concat(List.of(
                rule(List.of("list", "watch"), CORE, "services", "endpoints"),
                rule(List.of("get", "list", "watch"), CORE, "nodes"),
                rule(List.of("list", "watch"), DISCOVERY, "endpointslices")), eventRules())));
        // as upstream: what the API server needs to reach node agents (logs, exec, proxy)
        roles.add(clusterRole("system:kubelet-api-admin", Map.of(), List.of(
                rule(List.of("get", "list", "watch", "proxy"), CORE, "nodes"),
                rule(List.of("*"), CORE, "nodes/proxy", "nodes/log", "nodes/stats", "nodes/metrics", "nodes/spec",
                        "nodes/checkpoint"))));
        roles.addAll(certificateRoles());
        roles.add(aggregated("system:web-console", Map.of(), AGGREGATE_TO_EDIT, AGGREGATE_TO_WEB_CONSOLE));
        roles.add(clusterRole("system:aggregate-to-web-console", Map.of(AGGREGATE_TO_WEB_CONSOLE, "true"), List.of(
                rule(READ, CORE, "nodes", "namespaces"),
                rule(READ, APPS, "controllerrevisions"))));
        return roles;
    }

    /** The default ClusterRoleBindings. */
    public static List<ObjectNode> clusterRoleBindings() {
        return List.of(
                binding("cluster-admin", "cluster-admin", List.of(group("system:masters"))),
                binding("system:basic-user", "system:basic-user", List.of(group(AUTHENTICATED))),
                binding("system:discovery", "system:discovery", List.of(group(AUTHENTICATED))),
                binding("system:public-info-viewer", "system:public-info-viewer",
                        List.of(group(AUTHENTICATED), group(UNAUTHENTICATED))),
                binding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery",
                        List.of(group("system:serviceaccounts"), group(UNAUTHENTICATED))),
                binding("system:kube-scheduler", "system:kube-scheduler", List.of(user("system:kube-scheduler"))),
                binding("system:volume-scheduler", "system:volume-scheduler", List.of(user("system:kube-scheduler"))),
                binding("system:kube-controller-manager", "system:kube-controller-manager",
                        List.of(user("system:kube-controller-manager"))),
                // as upstream: bound to nobody, the Node authorizer covers nodes
                binding("system:node", "system:node", List.of()),
                binding("system:node-proxier", "system:node-proxier", List.of(user("system:kube-proxy"))),
                binding("system:web-console", "system:web-console", List.of(user("system:web-console"))),
                binding("system:apiserver-kubelet-api-admin", "system:kubelet-api-admin",
                        List.of(user("system:apiserver"))),
                // as kubeadm's bootstrap-token phase: bootstrap tokens may ask for node client certificates, which the
                // controller manager approves, and nodes may renew their own
                binding("platform:kubelet-bootstrap", "system:node-bootstrapper", List.of(group(NODE_BOOTSTRAP_GROUP))),
                binding("platform:node-autoapprove-bootstrap", NODE_CLIENT_ROLE, List.of(group(NODE_BOOTSTRAP_GROUP))),
                binding("platform:node-autoapprove-certificate-rotation", SELF_NODE_CLIENT_ROLE,
                        List.of(group(NODES_GROUP))));
    }

    /**
     * Upstream's certificates.k8s.io roles: asking for node certificates (node-bootstrapper), the permissions the
     * controller manager's approver checks with a SubjectAccessReview (nodeclient, selfnodeclient), and approving per
     * signer for people or other approvers.
     */
    private static List<ObjectNode> certificateRoles() {
        return List.of(
                clusterRole("system:node-bootstrapper", Map.of(), List.of(
                        rule(List.of("create", "get", "list", "watch"), CERTIFICATES, "certificatesigningrequests"))),
                clusterRole(NODE_CLIENT_ROLE, Map.of(), List.of(
                        rule(List.of("create"), CERTIFICATES, "certificatesigningrequests/nodeclient"))),
                clusterRole(SELF_NODE_CLIENT_ROLE, Map.of(), List.of(
                        rule(List.of("create"), CERTIFICATES, "certificatesigningrequests/selfnodeclient"))),
                signerApprover("system:certificates.k8s.io:kube-apiserver-client-approver",
                        KUBE_APISERVER_CLIENT_SIGNER),
                signerApprover("system:certificates.k8s.io:kube-apiserver-client-kubelet-approver",
                        KUBE_APISERVER_CLIENT_KUBELET_SIGNER),
                signerApprover("system:certificates.k8s.io:kubelet-serving-approver", KUBELET_SERVING_SIGNER));
    }

    private static ObjectNode signerApprover(String name, String signerName) {
        return clusterRole(name, Map.of(), List.of(
                rule(List.of("approve"), CERTIFICATES, "signers").withResourceNames(List.of(signerName))));
    }

    private static List<PolicyRule> aggregateToEdit() {
        return List.of(
                rule(List.of("impersonate"), CORE, "serviceaccounts"),
                rule(WRITE, CORE, "pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"),
                rule(List.of("create"), CORE, "pods/eviction"),
                rule(WRITE, CORE, "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
                        "services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets", "events"),
                rule(List.of("create"), CORE, "serviceaccounts/token"),
                rule(WRITE, APPS, "statefulsets", "statefulsets/scale", "daemonsets", "deployments",
                        "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale"),
                rule(WRITE, AUTOSCALING, "horizontalpodautoscalers"),
                rule(WRITE, BATCH, "jobs", "cronjobs"),
                rule(WRITE, POLICY, "poddisruptionbudgets"),
                rule(WRITE, NETWORKING, "networkpolicies", "ingresses"),
                rule(READ_WRITE, COORDINATION, "leases"),
                rule(READ, CORE, "pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets",
                        "services/proxy"));
    }

    private static List<PolicyRule> aggregateToView() {
        return List.of(
                rule(READ, CORE, "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
                        "services", "services/status", "endpoints", "persistentvolumeclaims",
                        "persistentvolumeclaims/status", "configmaps"),
                rule(READ, CORE, "limitranges", "resourcequotas", "bindings", "events", "pods/status",
                        "resourcequotas/status", "namespaces/status", "replicationcontrollers/status", "pods/log"),
                rule(READ, CORE, "namespaces"),
                rule(READ, DISCOVERY, "endpointslices"),
                rule(READ, APPS, "controllerrevisions", "statefulsets", "statefulsets/status", "statefulsets/scale",
                        "daemonsets", "daemonsets/status", "deployments", "deployments/status", "deployments/scale",
                        "replicasets", "replicasets/status", "replicasets/scale"),
                rule(READ, AUTOSCALING, "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
                rule(READ, BATCH, "jobs", "jobs/status", "cronjobs", "cronjobs/status"),
                rule(READ, POLICY, "poddisruptionbudgets", "poddisruptionbudgets/status"),
                rule(READ, NETWORKING, "ingresses", "ingresses/status", "networkpolicies"),
                rule(READ, EVENTS, "events"));
    }

    /** Upstream's system:kube-scheduler rules for what this server serves. */
    private static List<PolicyRule> kubeScheduler() {
        return concat(eventRules(), List.of(
                rule(List.of("create"), COORDINATION, "leases"),
                rule(List.of("get", "update"), COORDINATION, "leases")
                        .withResourceNames(List.of("kube-scheduler")),
                rule(READ, CORE, "nodes"),
                rule(List.of("delete", "get", "list", "watch"), CORE, "pods"),
                rule(List.of("create"), CORE, "bindings", "pods/binding"),
                rule(List.of("patch", "update"), CORE, "pods/status"),
                rule(READ, CORE, "replicationcontrollers", "services", "namespaces", "persistentvolumeclaims",
                        "persistentvolumes"),
                rule(READ, APPS, "replicasets", "statefulsets"),
                rule(READ, POLICY, "poddisruptionbudgets"),
                rule(List.of("create"), AUTHENTICATION, "tokenreviews"),
                rule(List.of("create"), AUTHORIZATION, "subjectaccessreviews"),
                rule(READ, STORAGE, "storageclasses")));
    }

    /**
     * What the platform's controller manager does under its one identity: the garbage collector's {@code *} rule
     * (upstream's generic-garbage-collector), the Deployment and ReplicaSet controllers' creates and status writes,
     * the ServiceAccount controller and the kube-root-ca.crt publisher, the CSR approver, signer and cleaner (as
     * upstream's certificate-controller role: approving and signing only for the signers it owns, SubjectAccessReviews
     * for the requesters), events and leader election.
     */
    private static List<PolicyRule> kubeControllerManager() {
        return concat(eventRules(), List.of(
                rule(List.of("get", "list", "watch", "patch", "update", "delete"), "*", "*"),
                rule(List.of("create", "delete", "deletecollection"), CORE, "pods"),
                rule(List.of("create", "delete", "update", "patch"), APPS, "replicasets", "deployments",
                        "controllerrevisions"),
                rule(List.of("update", "patch"), APPS, "deployments/status", "replicasets/status",
                        "deployments/finalizers", "replicasets/finalizers"),
                rule(List.of("create"), CORE, "serviceaccounts", "configmaps", "secrets", "endpoints"),
                // the local-path provisioner and its default StorageClass
                rule(List.of("create"), CORE, "persistentvolumes"),
                rule(List.of("create"), STORAGE, "storageclasses"),
                rule(List.of("create"), DISCOVERY, "endpointslices"),
                rule(List.of("create"), CORE, "serviceaccounts/token"),
                rule(List.of("create"), COORDINATION, "leases"),
                rule(List.of("create"), AUTHENTICATION, "tokenreviews"),
                rule(List.of("create"), AUTHORIZATION, "subjectaccessreviews"),
                rule(List.of("get", "list", "watch", "delete"), CERTIFICATES, "certificatesigningrequests"),
                rule(List.of("update"), CERTIFICATES, "certificatesigningrequests/approval",
                        "certificatesigningrequests/status"),
                rule(List.of("approve"), CERTIFICATES, "signers").withResourceNames(
                        List.of(KUBE_APISERVER_CLIENT_KUBELET_SIGNER, KUBELET_SERVING_SIGNER)),
                rule(List.of("sign"), CERTIFICATES, "signers").withResourceNames(List.of(KUBE_APISERVER_CLIENT_SIGNER,
                        KUBE_APISERVER_CLIENT_KUBELET_SIGNER, KUBELET_SERVING_SIGNER))));
    }

    private static List<PolicyRule> concat(List<PolicyRule> a, List<PolicyRule> b) {
        List<PolicyRule> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static ObjectNode clusterRole(String name, Map<String, String> labels, List<PolicyRule> rules) {
        ObjectNode role = object("ClusterRole", name, labels);
        role.set("rules", PolicyRule.toJson(rules));
        return role;
    }

    /** An aggregated ClusterRole: its rules are what the aggregation reconciler gathers. */
    private static ObjectNode aggregated(String name, Map<String, String> labels, String... selectorLabels) {
        ObjectNode role = object("ClusterRole", name, labels);
        ArrayNode selectors = role.putObject("aggregationRule").putArray("clusterRoleSelectors");
        for (String label : selectorLabels) {
            selectors.addObject().putObject("matchLabels").put(label, "true");
        }
        role.putArray("rules");
        return role;
    }

    private static ObjectNode binding(String name, String clusterRole, List<ObjectNode> subjects) {
        ObjectNode binding = object("ClusterRoleBinding", name, Map.of());
        binding.putObject("roleRef").put("apiGroup", RBAC).put("kind", "ClusterRole").put("name", clusterRole);
        if (!subjects.isEmpty()) {
            ArrayNode array = binding.putArray("subjects");
            subjects.forEach(array::add);
        }
        return binding;
    }

    private static ObjectNode group(String name) {
        ObjectNode subject = Json.object();
        subject.put("apiGroup", RBAC).put("kind", "Group").put("name", name);
        return subject;
    }

    private static ObjectNode user(String name) {
        ObjectNode subject = Json.object();
        subject.put("apiGroup", RBAC).put("kind", "User").put("name", name);
        return subject;
    }

    private static ObjectNode object(String kind, String name, Map<String, String> labels) {
        ObjectNode object = Json.object();
        object.put("apiVersion", RBAC + "/v1").put("kind", kind);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        ObjectNode labelNode = metadata.putObject("labels");
        labelNode.put(BOOTSTRAPPING, "rbac-defaults");
        labels.forEach(labelNode::put);
        metadata.putObject("annotations").put(AUTOUPDATE, "true");
        return object;
    }
}
