package io.platform.e2e.kubectl;

import java.util.Map;
import java.util.Optional;

/**
 * The columns Kubernetes 1.32's own printers give each served type, as {@code kubectl get} shows them, keyed by the
 * type's printed prefix ({@code kind.group} in lower case, as {@code -o name} prints it).
 */
final class ServedTypes {

    /** The printed columns of one type: without and with {@code -o wide}, joined by {@code |}. */
    record Columns(String normal, String wide) {
        static Columns same(String columns) {
            return new Columns(columns, columns);
        }
    }

    static final String EVENT_COLUMNS = "LAST SEEN|TYPE|REASON|OBJECT|MESSAGE";
    static final String EVENT_WIDE_COLUMNS =
            "LAST SEEN|TYPE|REASON|OBJECT|SUBOBJECT|SOURCE|MESSAGE|FIRST SEEN|COUNT|NAME";
    private static final String TEMPLATE_WIDE = "|CONTAINERS|IMAGES|SELECTOR";

    private static final Map<String, Columns> COLUMNS = Map.ofEntries(
            Map.entry("configmap", Columns.same("NAME|DATA|AGE")),
            Map.entry("endpoints", Columns.same("NAME|ENDPOINTS|AGE")),
            Map.entry("event", new Columns(EVENT_COLUMNS, EVENT_WIDE_COLUMNS)),
            Map.entry("limitrange", Columns.same("NAME|CREATED AT")),
            Map.entry("namespace", Columns.same("NAME|STATUS|AGE")),
            Map.entry("node", new Columns("NAME|STATUS|ROLES|AGE|VERSION",
                    "NAME|STATUS|ROLES|AGE|VERSION|INTERNAL-IP|EXTERNAL-IP|OS-IMAGE|KERNEL-VERSION|CONTAINER-RUNTIME")),
            Map.entry("persistentvolumeclaim", widened(
                    "NAME|STATUS|VOLUME|CAPACITY|ACCESS MODES|STORAGECLASS|VOLUMEATTRIBUTESCLASS|AGE", "|VOLUMEMODE")),
            Map.entry("persistentvolume", widened("NAME|CAPACITY|ACCESS MODES|RECLAIM POLICY|STATUS|CLAIM|STORAGECLASS"
                    + "|VOLUMEATTRIBUTESCLASS|REASON|AGE", "|VOLUMEMODE")),
            Map.entry("pod", widened("NAME|READY|STATUS|RESTARTS|AGE", "|IP|NODE|NOMINATED NODE|READINESS GATES")),
            Map.entry("podtemplate", Columns.same("NAME|CONTAINERS|IMAGES|POD LABELS")),
            Map.entry("replicationcontroller", widened("NAME|DESIRED|CURRENT|READY|AGE", TEMPLATE_WIDE)),
            Map.entry("resourcequota", Columns.same("NAME|AGE|REQUEST|LIMIT")),
            Map.entry("secret", Columns.same("NAME|TYPE|DATA|AGE")),
            Map.entry("serviceaccount", Columns.same("NAME|SECRETS|AGE")),
            Map.entry("service", widened("NAME|TYPE|CLUSTER-IP|EXTERNAL-IP|PORT(S)|AGE", "|SELECTOR")),
            Map.entry("mutatingwebhookconfiguration.admissionregistration.k8s.io", Columns.same("NAME|WEBHOOKS|AGE")),
            Map.entry("validatingwebhookconfiguration.admissionregistration.k8s.io", Columns.same("NAME|WEBHOOKS|AGE")),
            Map.entry("apiservice.apiregistration.k8s.io", Columns.same("NAME|SERVICE|AVAILABLE|AGE")),
            Map.entry("controllerrevision.apps", Columns.same("NAME|CONTROLLER|REVISION|AGE")),
            Map.entry("daemonset.apps", widened(
                    "NAME|DESIRED|CURRENT|READY|UP-TO-DATE|AVAILABLE|NODE SELECTOR|AGE", TEMPLATE_WIDE)),
            Map.entry("deployment.apps", widened("NAME|READY|UP-TO-DATE|AVAILABLE|AGE", TEMPLATE_WIDE)),
            Map.entry("replicaset.apps", widened("NAME|DESIRED|CURRENT|READY|AGE", TEMPLATE_WIDE)),
            Map.entry("statefulset.apps", widened("NAME|READY|AGE", "|CONTAINERS|IMAGES")),
            Map.entry("horizontalpodautoscaler.autoscaling",
                    Columns.same("NAME|REFERENCE|TARGETS|MINPODS|MAXPODS|REPLICAS|AGE")),
            Map.entry("cronjob.batch", widened("NAME|SCHEDULE|TIMEZONE|SUSPEND|ACTIVE|LAST SCHEDULE|AGE", TEMPLATE_WIDE)),
            Map.entry("job.batch", widened("NAME|STATUS|COMPLETIONS|DURATION|AGE", TEMPLATE_WIDE)),
            Map.entry("certificatesigningrequest.certificates.k8s.io",
                    Columns.same("NAME|AGE|SIGNERNAME|REQUESTOR|REQUESTEDDURATION|CONDITION")),
            Map.entry("lease.coordination.k8s.io", Columns.same("NAME|HOLDER|AGE")),
            Map.entry("endpointslice.discovery.k8s.io", Columns.same("NAME|ADDRESSTYPE|PORTS|ENDPOINTS|AGE")),
            Map.entry("event.events.k8s.io", new Columns(EVENT_COLUMNS, EVENT_WIDE_COLUMNS)),
            Map.entry("ingressclass.networking.k8s.io", Columns.same("NAME|CONTROLLER|PARAMETERS|AGE")),
            Map.entry("ingress.networking.k8s.io", Columns.same("NAME|CLASS|HOSTS|ADDRESS|PORTS|AGE")),
            Map.entry("networkpolicy.networking.k8s.io", Columns.same("NAME|POD-SELECTOR|AGE")),
            Map.entry("poddisruptionbudget.policy",
                    Columns.same("NAME|MIN AVAILABLE|MAX UNAVAILABLE|ALLOWED DISRUPTIONS|AGE")),
            Map.entry("clusterrolebinding.rbac.authorization.k8s.io",
                    widened("NAME|ROLE|AGE", "|USERS|GROUPS|SERVICEACCOUNTS")),
            Map.entry("clusterrole.rbac.authorization.k8s.io", Columns.same("NAME|CREATED AT")),
            Map.entry("rolebinding.rbac.authorization.k8s.io", widened("NAME|ROLE|AGE", "|USERS|GROUPS|SERVICEACCOUNTS")),
            Map.entry("role.rbac.authorization.k8s.io", Columns.same("NAME|CREATED AT")),
            Map.entry("priorityclass.scheduling.k8s.io", Columns.same("NAME|VALUE|GLOBAL-DEFAULT|AGE|PREEMPTIONPOLICY")),
            Map.entry("storageclass.storage.k8s.io", Columns.same(
                    "NAME|PROVISIONER|RECLAIMPOLICY|VOLUMEBINDINGMODE|ALLOWVOLUMEEXPANSION|AGE")));

    private ServedTypes() {}

    static Optional<Columns> columns(String printedPrefix) {
        return Optional.ofNullable(COLUMNS.get(printedPrefix));
    }

    private static Columns widened(String normal, String wideSuffix) {
        return new Columns(normal, normal + wideSuffix);
    }
}
