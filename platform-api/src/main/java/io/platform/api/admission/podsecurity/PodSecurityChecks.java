package io.platform.api.admission.podsecurity;

import io.platform.api.json.Json;
import io.platform.common.golang.GoSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The checks of the Pod Security Standards, as upstream's pod-security-admission policy package: each with upstream's
 * id, level, reason and detail wording, and its versions (the Kubernetes minor from which each revision applies; a
 * restricted revision may override baseline checks it replaces). {@link PodSecurityEvaluator} picks the revisions of
 * a policy version.
 */
final class PodSecurityChecks {

    /** One failed check: upstream's forbidden reason and detail. */
    record Violation(String reason, String detail) {
        String describe() {
            return detail.isEmpty() ? reason : reason + " (" + detail + ")";
        }
    }

    /** A check of a pod's (or pod template's) metadata and spec; null when it passes. */
    @FunctionalInterface
    interface CheckFunction {
        @Nullable Violation apply(JsonNode metadata, JsonNode spec);
    }

    /** One revision of a check, applying from Kubernetes 1.{@code minimumMinor} on, skipping the {@code overrides}. */
    record VersionedCheck(int minimumMinor, CheckFunction function, Set<String> overrides) {
        VersionedCheck(int minimumMinor, CheckFunction function) {
            this(minimumMinor, function, Set.of());
        }
    }

    /** A check and its revisions, oldest first. */
    record Check(String id, PodSecurityLevel level, List<VersionedCheck> versions) {}

    private static final Set<String> CAPABILITIES_ALLOWED_1_0 = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    private static final Set<String> SYSCTLS_ALLOWED_1_0 = Set.of("kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_unprivileged_port_start");
    private static final Set<String> SYSCTLS_ALLOWED_1_27 = union(SYSCTLS_ALLOWED_1_0,
            Set.of("net.ipv4.ip_local_reserved_ports"));
    private static final Set<String> SYSCTLS_ALLOWED_1_29 = union(SYSCTLS_ALLOWED_1_27, Set.of(
            "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes"));
    private static final Set<String> SYSCTLS_ALLOWED_1_32 = union(SYSCTLS_ALLOWED_1_29,
            Set.of("net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"));
    private static final Set<String> SYSCTLS_ALLOWED_1_37 = union(SYSCTLS_ALLOWED_1_32,
            Set.of("net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"));
    private static final Set<String> SELINUX_TYPES_1_0 = Set.of("", "container_t", "container_init_t",
            "container_kvm_t");
    private static final Set<String> SELINUX_TYPES_1_31 = union(SELINUX_TYPES_1_0, Set.of("container_engine_t"));
    private static final Set<String> RESTRICTED_VOLUMES_ALLOWED = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "image", "persistentVolumeClaim", "projected", "secret");
    /** The volume sources restricted names, in the order upstream tells them apart. */
    private static final List<String> RESTRICTED_VOLUME_TYPES = List.of("hostPath", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd", "flexVolume", "cinder", "cephfs",
            "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
            "portworxVolume", "scaleIO", "storageos");
    private static final String APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
    private static final String SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
    private static final String SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

    /** Every check with its revisions, as upstream registers them. */
    static final List<Check> ALL = List.of(
            new Check("allowPrivilegeEscalation", PodSecurityLevel.RESTRICTED, List.of(
                    new VersionedCheck(8, PodSecurityChecks::allowPrivilegeEscalation),
                    new VersionedCheck(25, unlessWindows(PodSecurityChecks::allowPrivilegeEscalation)))),
            new Check("appArmorProfile", PodSecurityLevel.BASELINE, List.of(
                    new VersionedCheck(0, PodSecurityChecks::appArmorProfile))),
            new Check("capabilities_baseline", PodSecurityLevel.BASELINE, List.of(
                    new VersionedCheck(0, PodSecurityChecks::capabilitiesBaseline))),
            new Check("capabilities_restricted", PodSecurityLevel.RESTRICTED, List.of(
                    new VersionedCheck(22, PodSecurityChecks::capabilitiesRestricted, Set.of("capabilities_baseline")),
                    new VersionedCheck(25, unlessWindows(PodSecurityChecks::capabilitiesRestricted),
                            Set.of("capabilities_baseline")))),
            new Check("hostNamespaces", PodSecurityLevel.BASELINE, List.of(
                    new VersionedCheck(0, PodSecurityChecks::hostNamespaces))),
            new Check("hostPathVolumes", PodSecurityLevel.BASELINE, List.of(
                    new VersionedCheck(0, PodSecurityChecks::hostPathVolumes))),
            new Check("hostPorts", PodSecurityLevel.BASELINE, List.of(
                    new VersionedCheck(0, PodSecurityChecks::hostPorts))),
            new Check("hostProbesAndHostLifecycle", PodSecurityLevel.BASELINE, List.of(
                    new VersionedCheck(34, PodSecurityChecks::hostProbesAndHostLifecycle))),
            new Check("privileged", PodSecurityLevel.BASELINE, List.of(
                    new VersionedCheck(0, PodSecurityChecks::privileged))),
            new Check("procMount", PodSecurityLevel.BASELINE, List.of(
                    new VersionedCheck(0, PodSecurityChecks::procMount),
                    new VersionedCheck(35, unlessUserNamespace(PodSecurityChecks::procMount)))),
            // from 1.35 baseline lets pods in a user namespace unmask /proc; restricted keeps the unconditional check
            new Check("procMount_restricted", PodSecurityLevel.RESTRICTED, List.of(
                    new VersionedCheck(35, PodSecurityChecks::procMount, Set.of("procMount")))),
            new Check("restrictedVolumes", PodSecurityLevel.RESTRICTED, List.of(
                    new VersionedCheck(0, PodSecurityChecks::restrictedVolumes, Set.of("hostPathVolumes")))),
            new Check("runAsNonRoot", PodSecurityLevel.RESTRICTED, List.of(
                    new VersionedCheck(0, PodSecurityChecks::runAsNonRoot),
                    new VersionedCheck(35, unlessUserNamespace(PodSecurityChecks::runAsNonRoot)))),
            new Check("runAsUser", PodSecurityLevel.RESTRICTED, List.of(
                    new VersionedCheck(23, PodSecurityChecks::runAsUser),
                    new VersionedCheck(35, unlessUserNamespace(PodSecurityChecks::runAsUser)))),
            new Check("seLinuxOptions", PodSecurityLevel.BASELINE, List.of(
                    new VersionedCheck(0, (metadata, spec) -> seLinuxOptions(spec, SELINUX_TYPES_1_0)),
                    new VersionedCheck(31, (metadata, spec) -> seLinuxOptions(spec, SELINUX_TYPES_1_31)))),
            new Check("seccompProfile_baseline", PodSecurityLevel.BASELINE, List.of(
                    new VersionedCheck(0, PodSecurityChecks::seccompAnnotations),
                    new VersionedCheck(19, PodSecurityChecks::seccompBaseline))),
            new Check("seccompProfile_restricted", PodSecurityLevel.RESTRICTED, List.of(
                    new VersionedCheck(19, PodSecurityChecks::seccompRestricted, Set.of("seccompProfile_baseline")),
                    new VersionedCheck(25, unlessWindows(PodSecurityChecks::seccompRestricted),
                            Set.of("seccompProfile_baseline")))),
            new Check("sysctls", PodSecurityLevel.BASELINE, List.of(
                    new VersionedCheck(0, (metadata, spec) -> sysctls(spec, SYSCTLS_ALLOWED_1_0)),
                    new VersionedCheck(27, (metadata, spec) -> sysctls(spec, SYSCTLS_ALLOWED_1_27)),
                    new VersionedCheck(29, (metadata, spec) -> sysctls(spec, SYSCTLS_ALLOWED_1_29)),
                    new VersionedCheck(32, (metadata, spec) -> sysctls(spec, SYSCTLS_ALLOWED_1_32)),
                    new VersionedCheck(37, (metadata, spec) -> sysctls(spec, SYSCTLS_ALLOWED_1_37)))),
            new Check("windowsHostProcess", PodSecurityLevel.BASELINE, List.of(
                    new VersionedCheck(0, PodSecurityChecks::windowsHostProcess))));

    private PodSecurityChecks() {}

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** From 1.25 on, restricted's Linux-only checks pass pods that declare {@code spec.os.name: windows}. */
    private static CheckFunction unlessWindows(CheckFunction check) {
        return (metadata, spec) -> spec.path("os").path("name").asString("").equals("windows") ? null
                : check.apply(metadata, spec);
    }

    /** From 1.35 on, some checks pass pods in their own user namespace ({@code hostUsers: false}). */
    private static CheckFunction unlessUserNamespace(CheckFunction check) {
        return (metadata, spec) -> spec.path("hostUsers").isBoolean() && !spec.path("hostUsers").asBoolean() ? null
                : check.apply(metadata, spec);
    }

    private record Named(String name, JsonNode container) {
        JsonNode securityContext() {
            return container.path("securityContext");
        }
    }

    /** Init, app and ephemeral containers, in that order, as upstream visits them. */
    private static List<Named> containers(JsonNode spec) {
        List<Named> all = new ArrayList<>();
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (JsonNode container : spec.path(list)) {
                all.add(new Named(container.path("name").asString(""), container));
            }
        }
        return all;
    }

    static String pluralize(String singular, String plural, int count) {
        return count == 1 ? singular : plural;
    }

    /** Upstream's joinQuote: each value in double quotes, comma-separated, nothing escaped. */
    static String joinQuote(Iterable<String> values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(value -> quoted.add("\"" + value + "\""));
        return String.join(", ", quoted);
    }

    private static String containersPhrase(List<String> names) {
        return pluralize("container", "containers", names.size()) + " " + joinQuote(names);
    }

    private static boolean isTrue(JsonNode value) {
        return value.isBoolean() && value.asBoolean();
    }

    private static boolean isFalse(JsonNode value) {
        return value.isBoolean() && !value.asBoolean();
    }

    private static @Nullable Violation allowPrivilegeEscalation(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            if (!isFalse(c.securityContext().path("allowPrivilegeEscalation"))) {
                bad.add(c.name());
            }
        }
        return bad.isEmpty() ? null : new Violation("allowPrivilegeEscalation != false",
                containersPhrase(bad) + " must set securityContext.allowPrivilegeEscalation=false");
    }

    private static boolean allowedAppArmorType(String type) {
        return type.equals("RuntimeDefault") || type.equals("Localhost");
    }

    private static @Nullable Violation appArmorProfile(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        Set<String> values = new TreeSet<>();
        JsonNode podProfile = spec.path("securityContext").path("appArmorProfile");
        if (podProfile.isObject() && !allowedAppArmorType(podProfile.path("type").asString(""))) {
            setters.add("pod");
            values.add(podProfile.path("type").asString(""));
        }
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            JsonNode profile = c.securityContext().path("appArmorProfile");
            if (profile.isObject() && !allowedAppArmorType(profile.path("type").asString(""))) {
                bad.add(c.name());
                values.add(profile.path("type").asString(""));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        Set<String> annotations = new TreeSet<>();
        metadata.path("annotations").properties().forEach(e -> {
            String value = e.getValue().asString("");
            if (e.getKey().startsWith(APPARMOR_ANNOTATION_PREFIX) && !value.isEmpty()
                    && !value.equals("runtime/default") && !value.startsWith("localhost/")) {
                annotations.add(e.getKey() + "=" + GoSyntax.quote(value));
            }
        });
        List<String> valueList = new ArrayList<>(values);
        if (!annotations.isEmpty()) {
            valueList.addAll(annotations);
            setters.add(pluralize("annotation", "annotations", annotations.size()));
        }
        if (setters.isEmpty()) {
            return null;
        }
        return new Violation(pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", valueList.size()),
                String.join(" and ", setters) + " must not set AppArmor profile type to " + joinQuote(valueList));
    }

    private static @Nullable Violation capabilitiesBaseline(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        Set<String> capabilities = new TreeSet<>();
        for (Named c : containers(spec)) {
            boolean found = false;
            for (JsonNode capability : c.securityContext().path("capabilities").path("add")) {
                if (!CAPABILITIES_ALLOWED_1_0.contains(capability.asString(""))) {
                    capabilities.add(capability.asString(""));
                    found = true;
                }
            }
            if (found) {
                bad.add(c.name());
            }
        }
        return bad.isEmpty() ? null : new Violation("non-default capabilities", containersPhrase(bad)
                + " must not include " + joinQuote(capabilities) + " in securityContext.capabilities.add");
    }

    private static @Nullable Violation capabilitiesRestricted(JsonNode metadata, JsonNode spec) {
        List<String> missingDrop = new ArrayList<>();
        List<String> adding = new ArrayList<>();
        Set<String> forbidden = new TreeSet<>();
        for (Named c : containers(spec)) {
            JsonNode capabilities = c.securityContext().path("capabilities");
            if (!Json.strings(capabilities.path("drop")).contains("ALL")) {
                missingDrop.add(c.name());
            }
            boolean found = false;
            for (JsonNode capability : capabilities.path("add")) {
                if (!capability.asString("").equals("NET_BIND_SERVICE")) {
                    forbidden.add(capability.asString(""));
                    found = true;
                }
            }
            if (found) {
                adding.add(c.name());
            }
        }
        List<String> details = new ArrayList<>();
        if (!missingDrop.isEmpty()) {
            details.add(containersPhrase(missingDrop) + " must set securityContext.capabilities.drop=[\"ALL\"]");
        }
        if (!adding.isEmpty()) {
            details.add(containersPhrase(adding) + " must not include " + joinQuote(forbidden)
                    + " in securityContext.capabilities.add");
        }
        return details.isEmpty() ? null : new Violation("unrestricted capabilities", String.join("; ", details));
    }

    private static @Nullable Violation hostNamespaces(JsonNode metadata, JsonNode spec) {
        List<String> set = new ArrayList<>();
        for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (isTrue(spec.path(field))) {
                set.add(field + "=true");
            }
        }
        return set.isEmpty() ? null : new Violation("host namespaces", String.join(", ", set));
    }

    private static @Nullable Violation hostPathVolumes(JsonNode metadata, JsonNode spec) {
        List<String> names = new ArrayList<>();
        for (JsonNode volume : spec.path("volumes")) {
            if (volume.path("hostPath").isObject()) {
                names.add(volume.path("name").asString(""));
            }
        }
        return names.isEmpty() ? null : new Violation("hostPath volumes",
                pluralize("volume", "volumes", names.size()) + " " + joinQuote(names));
    }

    private static @Nullable Violation hostPorts(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        // upstream sorts the ports as strings
        Set<String> ports = new TreeSet<>();
        for (Named c : containers(spec)) {
            boolean found = false;
            for (JsonNode port : c.container().path("ports")) {
                long hostPort = port.path("hostPort").asLong(0);
                if (hostPort != 0) {
                    ports.add(Long.toString(hostPort));
                    found = true;
                }
            }
            if (found) {
                bad.add(c.name());
            }
        }
        return bad.isEmpty() ? null : new Violation("hostPort", containersPhrase(bad) + " "
                + pluralize("uses", "use", bad.size()) + " " + pluralize("hostPort", "hostPorts", ports.size()) + " "
                + String.join(", ", ports));
    }

    private static @Nullable Violation hostProbesAndHostLifecycle(JsonNode metadata, JsonNode spec) {
        Set<String> bad = new TreeSet<>();
        Set<String> hosts = new TreeSet<>();
        for (Named c : containers(spec)) {
            List<JsonNode> handlers = new ArrayList<>();
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                handlers.add(c.container().path(probe));
            }
            for (String hook : List.of("postStart", "preStop")) {
                handlers.add(c.container().path("lifecycle").path(hook));
            }
            for (JsonNode handler : handlers) {
                for (String action : List.of("httpGet", "tcpSocket")) {
                    String host = handler.path(action).path("host").asString("");
                    if (!host.isEmpty()) {
                        bad.add(c.name());
                        hosts.add(host);
                    }
                }
            }
        }
        return bad.isEmpty() ? null : new Violation("probe or lifecycle host", pluralize("container", "containers",
                bad.size()) + " " + joinQuote(bad) + " " + pluralize("uses", "use", bad.size()) + " "
                + pluralize("probe or lifecycle host", "probe or lifecycle hosts", hosts.size()) + " " + joinQuote(hosts));
    }

    private static @Nullable Violation privileged(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            if (isTrue(c.securityContext().path("privileged"))) {
                bad.add(c.name());
            }
        }
        return bad.isEmpty() ? null : new Violation("privileged",
                containersPhrase(bad) + " must not set securityContext.privileged=true");
    }

    private static @Nullable Violation procMount(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        Set<String> values = new TreeSet<>();
        for (Named c : containers(spec)) {
            JsonNode value = c.securityContext().path("procMount");
            if (value.isString() && !value.asString().equals("Default")) {
                bad.add(c.name());
                values.add(value.asString());
            }
        }
        return bad.isEmpty() ? null : new Violation("procMount",
                containersPhrase(bad) + " must not set securityContext.procMount to " + joinQuote(values));
    }

    private static @Nullable Violation restrictedVolumes(JsonNode metadata, JsonNode spec) {
        List<String> names = new ArrayList<>();
        Set<String> types = new TreeSet<>();
        for (JsonNode volume : spec.path("volumes")) {
            if (RESTRICTED_VOLUMES_ALLOWED.stream().anyMatch(source -> volume.path(source).isObject())) {
                continue;
            }
            names.add(volume.path("name").asString(""));
            types.add(RESTRICTED_VOLUME_TYPES.stream().filter(source -> volume.path(source).isObject()).findFirst()
                    .orElse("unknown"));
        }
        return names.isEmpty() ? null : new Violation("restricted volume types",
                pluralize("volume", "volumes", names.size()) + " " + joinQuote(names) + " "
                        + pluralize("uses", "use", names.size()) + " "
                        + pluralize("restricted volume type", "restricted volume types", types.size()) + " "
                        + joinQuote(types));
    }

    private static @Nullable Violation runAsNonRoot(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        JsonNode podValue = spec.path("securityContext").path("runAsNonRoot");
        if (isFalse(podValue)) {
            setters.add("pod");
        }
        boolean podNonRoot = isTrue(podValue);
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        for (Named c : containers(spec)) {
            JsonNode value = c.securityContext().path("runAsNonRoot");
            if (value.isBoolean()) {
                if (!value.asBoolean()) {
                    explicit.add(c.name());
                }
            } else if (!podNonRoot) {
                implicit.add(c.name());
            }
        }
        if (!explicit.isEmpty()) {
            setters.add(containersPhrase(explicit));
        }
        if (!setters.isEmpty()) {
            return new Violation("runAsNonRoot != true",
                    String.join(" and ", setters) + " must not set securityContext.runAsNonRoot=false");
        }
        return implicit.isEmpty() ? null : new Violation("runAsNonRoot != true",
                "pod or " + containersPhrase(implicit) + " must set securityContext.runAsNonRoot=true");
    }

    private static boolean isRoot(JsonNode runAsUser) {
        return runAsUser.isNumber() && runAsUser.asLong() == 0;
    }

    private static @Nullable Violation runAsUser(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        if (isRoot(spec.path("securityContext").path("runAsUser"))) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            if (isRoot(c.securityContext().path("runAsUser"))) {
                bad.add(c.name());
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        return setters.isEmpty() ? null : new Violation("runAsUser=0",
                String.join(" and ", setters) + " must not set runAsUser=0");
    }

    /** What is wrong with one seLinuxOptions, gathered across the pod as upstream does. */
    private static final class SeLinuxFindings {
        final Set<String> badTypes = new TreeSet<>();
        boolean user;
        boolean role;

        /** Whether {@code options} (when set) is allowed, noting what is not. */
        boolean allowed(JsonNode options, Set<String> allowedTypes) {
            if (!options.isObject()) {
                return true;
            }
            boolean allowed = true;
            String type = options.path("type").asString("");
            if (!allowedTypes.contains(type)) {
                badTypes.add(type);
                allowed = false;
            }
            if (!options.path("user").asString("").isEmpty()) {
                user = true;
                allowed = false;
            }
            if (!options.path("role").asString("").isEmpty()) {
                role = true;
                allowed = false;
            }
            return allowed;
        }
    }

    private static @Nullable Violation seLinuxOptions(JsonNode spec, Set<String> allowedTypes) {
        SeLinuxFindings findings = new SeLinuxFindings();
        List<String> setters = new ArrayList<>();
        if (!findings.allowed(spec.path("securityContext").path("seLinuxOptions"), allowedTypes)) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            if (!findings.allowed(c.securityContext().path("seLinuxOptions"), allowedTypes)) {
                bad.add(c.name());
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        if (setters.isEmpty()) {
            return null;
        }
        List<String> data = new ArrayList<>();
        if (!findings.badTypes.isEmpty()) {
            data.add(pluralize("type", "types", findings.badTypes.size()) + " " + joinQuote(findings.badTypes));
        }
        if (findings.user) {
            data.add("user may not be set");
        }
        if (findings.role) {
            data.add("role may not be set");
        }
        return new Violation("seLinuxOptions", String.join(" and ", setters)
                + " set forbidden securityContext.seLinuxOptions: " + String.join("; ", data));
    }

    private static boolean allowedSeccompAnnotation(String value) {
        return value.equals("runtime/default") || value.equals("docker/default") || value.startsWith("localhost/");
    }

    /** Before 1.19 seccomp profiles were annotations; baseline allows the runtime's default and local profiles. */
    private static @Nullable Violation seccompAnnotations(JsonNode metadata, JsonNode spec) {
        Set<String> forbidden = new TreeSet<>();
        JsonNode annotations = metadata.path("annotations");
        List<String> keys = new ArrayList<>();
        keys.add(SECCOMP_POD_ANNOTATION);
        containers(spec).forEach(c -> keys.add(SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name()));
        for (String key : keys) {
            JsonNode value = annotations.path(key);
            if (value.isString() && !allowedSeccompAnnotation(value.asString())) {
                forbidden.add(key + "=" + GoSyntax.quote(value.asString()));
            }
        }
        return forbidden.isEmpty() ? null : new Violation("seccompProfile", "forbidden "
                + pluralize("annotation", "annotations", forbidden.size()) + " " + String.join(", ", forbidden));
    }

    private static boolean allowedSeccompType(String type) {
        return type.equals("RuntimeDefault") || type.equals("Localhost");
    }

    private static @Nullable Violation seccompBaseline(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        Set<String> values = new TreeSet<>();
        JsonNode podProfile = spec.path("securityContext").path("seccompProfile");
        if (podProfile.isObject() && !allowedSeccompType(podProfile.path("type").asString(""))) {
            setters.add("pod");
            values.add(podProfile.path("type").asString(""));
        }
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            JsonNode profile = c.securityContext().path("seccompProfile");
            if (profile.isObject() && !allowedSeccompType(profile.path("type").asString(""))) {
                bad.add(c.name());
                values.add(profile.path("type").asString(""));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        return setters.isEmpty() ? null : new Violation("seccompProfile", String.join(" and ", setters)
                + " must not set securityContext.seccompProfile.type to " + joinQuote(values));
    }

    private static @Nullable Violation seccompRestricted(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        Set<String> values = new TreeSet<>();
        boolean podSet = false;
        JsonNode podProfile = spec.path("securityContext").path("seccompProfile");
        if (podProfile.isObject()) {
            String type = podProfile.path("type").asString("");
            if (allowedSeccompType(type)) {
                podSet = true;
            } else {
                setters.add("pod");
                values.add(type);
            }
        }
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        for (Named c : containers(spec)) {
            JsonNode profile = c.securityContext().path("seccompProfile");
            if (profile.isObject()) {
                String type = profile.path("type").asString("");
                if (!allowedSeccompType(type)) {
                    explicit.add(c.name());
                    values.add(type);
                }
            } else if (!podSet) {
                implicit.add(c.name());
            }
        }
        if (!explicit.isEmpty()) {
            setters.add(containersPhrase(explicit));
        }
        if (!setters.isEmpty()) {
            return new Violation("seccompProfile", String.join(" and ", setters)
                    + " must not set securityContext.seccompProfile.type to " + joinQuote(values));
        }
        return implicit.isEmpty() ? null : new Violation("seccompProfile", "pod or " + containersPhrase(implicit)
                + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
    }

    private static @Nullable Violation sysctls(JsonNode spec, Set<String> allowed) {
        List<String> forbidden = new ArrayList<>();
        for (JsonNode sysctl : spec.path("securityContext").path("sysctls")) {
            String name = sysctl.path("name").asString("");
            if (!allowed.contains(name)) {
                forbidden.add(name);
            }
        }
        return forbidden.isEmpty() ? null : new Violation("forbidden sysctls", String.join(", ", forbidden));
    }

    private static @Nullable Violation windowsHostProcess(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        if (isTrue(spec.path("securityContext").path("windowsOptions").path("hostProcess"))) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            if (isTrue(c.securityContext().path("windowsOptions").path("hostProcess"))) {
                bad.add(c.name());
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        return setters.isEmpty() ? null : new Violation("hostProcess",
                String.join(" and ", setters) + " must not set securityContext.windowsOptions.hostProcess=true");
    }
}
