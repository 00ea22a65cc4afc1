package io.platform.api.admission.podsecurity;

import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The checks of the Pod Security Standards at their latest version, as upstream's pod-security-admission policy
 * package: each check has upstream's id, reason and detail wording; a level runs its checks (restricted: the baseline
 * ones it does not override, plus its own) in the order of their ids, as upstream reports them.
 */
final class PodSecurityChecks {

    /** One failed check: upstream's forbidden reason and detail. */
    record Violation(String reason, String detail) {
        String describe() {
            return detail.isEmpty() ? reason : reason + " (" + detail + ")";
        }
    }

    private record Check(PodSecurityLevel level, BiFunction<JsonNode, JsonNode, @Nullable Violation> evaluate) {}

    private static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t",
            "container_engine_t");
    private static final Set<String> RESTRICTED_VOLUME_TYPES_ALLOWED = Set.of("configMap", "csi", "downwardAPI",
            "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static final String APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

    /** Every check by id; restricted's overrides replace the baseline check they name. */
    private static final Map<String, Check> CHECKS = new TreeMap<>(Map.ofEntries(
            Map.entry("allowPrivilegeEscalation", new Check(PodSecurityLevel.RESTRICTED, PodSecurityChecks::allowPrivilegeEscalation)),
            Map.entry("appArmorProfile", new Check(PodSecurityLevel.BASELINE, PodSecurityChecks::appArmor)),
            Map.entry("capabilities_baseline", new Check(PodSecurityLevel.BASELINE, PodSecurityChecks::capabilitiesBaseline)),
            Map.entry("capabilities_restricted", new Check(PodSecurityLevel.RESTRICTED, PodSecurityChecks::capabilitiesRestricted)),
            Map.entry("hostNamespaces", new Check(PodSecurityLevel.BASELINE, PodSecurityChecks::hostNamespaces)),
            Map.entry("hostPathVolumes", new Check(PodSecurityLevel.BASELINE, PodSecurityChecks::hostPathVolumes)),
            Map.entry("hostPorts", new Check(PodSecurityLevel.BASELINE, PodSecurityChecks::hostPorts)),
            Map.entry("privileged", new Check(PodSecurityLevel.BASELINE, PodSecurityChecks::privileged)),
            Map.entry("procMount", new Check(PodSecurityLevel.BASELINE, PodSecurityChecks::procMount)),
            Map.entry("restrictedVolumes", new Check(PodSecurityLevel.RESTRICTED, PodSecurityChecks::restrictedVolumes)),
            Map.entry("runAsNonRoot", new Check(PodSecurityLevel.RESTRICTED, PodSecurityChecks::runAsNonRoot)),
            Map.entry("runAsUser", new Check(PodSecurityLevel.RESTRICTED, PodSecurityChecks::runAsUser)),
            Map.entry("seLinuxOptions", new Check(PodSecurityLevel.BASELINE, PodSecurityChecks::seLinuxOptions)),
            Map.entry("seccompProfile_baseline", new Check(PodSecurityLevel.BASELINE, PodSecurityChecks::seccompBaseline)),
            Map.entry("seccompProfile_restricted", new Check(PodSecurityLevel.RESTRICTED, PodSecurityChecks::seccompRestricted)),
            Map.entry("sysctls", new Check(PodSecurityLevel.BASELINE, PodSecurityChecks::sysctls)),
            Map.entry("windowsHostProcess", new Check(PodSecurityLevel.BASELINE, PodSecurityChecks::windowsHostProcess))));
    private static final Map<String, String> OVERRIDDEN_BY_RESTRICTED = Map.of(
            "capabilities_baseline", "capabilities_restricted",
            "hostPathVolumes", "restrictedVolumes",
            "seccompProfile_baseline", "seccompProfile_restricted");

    private PodSecurityChecks() {}

    /** The violations of {@code level} by a pod (or template) with this metadata and spec, in upstream's order. */
    static List<Violation> evaluate(PodSecurityLevel level, JsonNode metadata, JsonNode spec) {
        List<Violation> violations = new ArrayList<>();
        if (level == PodSecurityLevel.PRIVILEGED) {
            return violations;
        }
        CHECKS.forEach((id, check) -> {
            if (check.level().compareTo(level) > 0
                    || level == PodSecurityLevel.RESTRICTED && OVERRIDDEN_BY_RESTRICTED.containsKey(id)) {
                return;
            }
            Violation violation = check.evaluate().apply(metadata, spec);
            if (violation != null) {
                violations.add(violation);
            }
        });
        return violations;
    }

    private record Named(String name, JsonNode container) {}

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

    private static boolean windows(JsonNode spec) {
        return spec.path("os").path("name").asString("").equals("windows");
    }

    static String pluralize(String singular, String plural, int count) {
        return count == 1 ? singular : plural;
    }

    static String joinQuote(Iterable<String> values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(value -> quoted.add("\"" + value + "\""));
        return String.join(", ", quoted);
    }

    private static String containersPhrase(List<String> names) {
        return pluralize("container", "containers", names.size()) + " " + joinQuote(names);
    }

    private static @Nullable Violation allowPrivilegeEscalation(JsonNode metadata, JsonNode spec) {
        if (windows(spec)) {
            return null;
        }
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            JsonNode value = c.container().path("securityContext").path("allowPrivilegeEscalation");
            if (!value.isBoolean() || value.asBoolean()) {
                bad.add(c.name());
            }
        }
        return bad.isEmpty() ? null : new Violation("allowPrivilegeEscalation != false",
                containersPhrase(bad) + " must set securityContext.allowPrivilegeEscalation=false");
    }

    private static @Nullable Violation appArmor(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        Set<String> values = new TreeSet<>();
        String podType = spec.path("securityContext").path("appArmorProfile").path("type").asString("");
        if (podType.equals("Unconfined")) {
            setters.add("pod");
            values.add(podType);
        }
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            String type = c.container().path("securityContext").path("appArmorProfile").path("type").asString("");
            if (type.equals("Unconfined")) {
                bad.add(c.name());
                values.add(type);
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        List<String> annotations = new ArrayList<>();
        metadata.path("annotations").properties().forEach(e -> {
            String value = e.getValue().asString("");
            if (e.getKey().startsWith(APPARMOR_ANNOTATION_PREFIX) && !value.isEmpty()
                    && !value.equals("runtime/default") && !value.startsWith("localhost/")) {
                annotations.add(e.getKey() + "=\"" + value + "\"");
            }
        });
        List<String> valueList = new ArrayList<>(values);
        if (!annotations.isEmpty()) {
            annotations.sort(null);
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
            for (JsonNode capability : c.container().path("securityContext").path("capabilities").path("add")) {
                if (!BASELINE_CAPABILITIES.contains(capability.asString(""))) {
                    capabilities.add(capability.asString(""));
                    found = true;
                }
            }
            if (found) {
                bad.add(c.name());
            }
        }
        return bad.isEmpty() ? null : new Violation("non-default capabilities",
                containersPhrase(bad) + " must not include " + joinQuote(capabilities) + " in securityContext.capabilities.add");
    }

    private static @Nullable Violation capabilitiesRestricted(JsonNode metadata, JsonNode spec) {
        if (windows(spec)) {
            return null;
        }
        List<String> missingDrop = new ArrayList<>();
        List<String> adding = new ArrayList<>();
        Set<String> forbidden = new TreeSet<>();
        for (Named c : containers(spec)) {
            JsonNode capabilities = c.container().path("securityContext").path("capabilities");
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
            if (spec.path(field).asBoolean(false)) {
                set.add(field + "=true");
            }
        }
        return set.isEmpty() ? null : new Violation("host namespaces", String.join(", ", set));
    }

    private static @Nullable Violation hostPathVolumes(JsonNode metadata, JsonNode spec) {
        List<String> names = new ArrayList<>();
        for (JsonNode volume : spec.path("volumes")) {
            if (volume.has("hostPath")) {
                names.add(volume.path("name").asString(""));
            }
        }
        return names.isEmpty() ? null : new Violation("hostPath volumes",
                pluralize("volume", "volumes", names.size()) + " " + joinQuote(names));
    }

    private static @Nullable Violation hostPorts(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        Set<String> ports = new LinkedHashSet<>();
        for (Named c : containers(spec)) {
            boolean found = false;
            for (JsonNode port : c.container().path("ports")) {
                if (port.path("hostPort").asLong(0) != 0) {
                    ports.add(port.path("hostPort").asString());
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

    private static @Nullable Violation privileged(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            if (c.container().path("securityContext").path("privileged").asBoolean(false)) {
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
            String value = c.container().path("securityContext").path("procMount").asString("");
            if (!value.isEmpty() && !value.equals("Default")) {
                bad.add(c.name());
                values.add(value);
            }
        }
        return bad.isEmpty() ? null : new Violation("procMount",
                containersPhrase(bad) + " must not set securityContext.procMount to " + joinQuote(values));
    }

    private static @Nullable Violation restrictedVolumes(JsonNode metadata, JsonNode spec) {
        List<String> names = new ArrayList<>();
        Set<String> types = new TreeSet<>();
        for (JsonNode volume : spec.path("volumes")) {
            for (String field : volume.propertyNames()) {
                if (!field.equals("name") && !RESTRICTED_VOLUME_TYPES_ALLOWED.contains(field)) {
                    names.add(volume.path("name").asString(""));
                    types.add(field);
                    break;
                }
            }
        }
        return names.isEmpty() ? null : new Violation("restricted volume types",
                pluralize("volume", "volumes", names.size()) + " " + joinQuote(names) + " "
                        + pluralize("uses", "use", names.size()) + " restricted volume "
                        + pluralize("type", "types", types.size()) + " " + joinQuote(types));
    }

    private static @Nullable Violation runAsNonRoot(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        JsonNode podValue = spec.path("securityContext").path("runAsNonRoot");
        boolean podNonRoot = false;
        if (podValue.isBoolean()) {
            if (podValue.asBoolean()) {
                podNonRoot = true;
            } else {
                setters.add("pod");
            }
        }
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        for (Named c : containers(spec)) {
            JsonNode value = c.container().path("securityContext").path("runAsNonRoot");
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

    private static @Nullable Violation runAsUser(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        JsonNode podValue = spec.path("securityContext").path("runAsUser");
        if (podValue.isNumber() && podValue.asLong() == 0) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            JsonNode value = c.container().path("securityContext").path("runAsUser");
            if (value.isNumber() && value.asLong() == 0) {
                bad.add(c.name());
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        return setters.isEmpty() ? null : new Violation("runAsUser=0",
                String.join(" and ", setters) + " must not set runAsUser=0");
    }

    private static @Nullable Violation seLinuxOptions(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        Set<String> badTypes = new TreeSet<>();
        boolean[] userOrRole = new boolean[2];
        if (badSeLinux(spec.path("securityContext").path("seLinuxOptions"), badTypes, userOrRole)) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            if (badSeLinux(c.container().path("securityContext").path("seLinuxOptions"), badTypes, userOrRole)) {
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
        if (!badTypes.isEmpty()) {
            data.add(pluralize("type", "types", badTypes.size()) + " " + joinQuote(badTypes));
        }
        if (userOrRole[0]) {
            data.add("user may not be set");
        }
        if (userOrRole[1]) {
            data.add("role may not be set");
        }
        return new Violation("seLinuxOptions", String.join(" and ", setters)
                + " set forbidden securityContext.seLinuxOptions: " + String.join("; ", data));
    }

    private static boolean badSeLinux(JsonNode options, Set<String> badTypes, boolean[] userOrRole) {
        boolean bad = false;
        String type = options.path("type").asString("");
        if (!SELINUX_TYPES.contains(type)) {
            badTypes.add(type);
            bad = true;
        }
        if (!options.path("user").asString("").isEmpty()) {
            userOrRole[0] = true;
            bad = true;
        }
        if (!options.path("role").asString("").isEmpty()) {
            userOrRole[1] = true;
            bad = true;
        }
        return bad;
    }

    private static @Nullable Violation seccompBaseline(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        if (spec.path("securityContext").path("seccompProfile").path("type").asString("").equals("Unconfined")) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            if (c.container().path("securityContext").path("seccompProfile").path("type").asString("").equals("Unconfined")) {
                bad.add(c.name());
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        return setters.isEmpty() ? null : new Violation("seccompProfile", String.join(" and ", setters)
                + " must not set securityContext.seccompProfile.type to \"Unconfined\"");
    }

    private static boolean validSeccomp(String type) {
        return type.equals("RuntimeDefault") || type.equals("Localhost");
    }

    private static @Nullable Violation seccompRestricted(JsonNode metadata, JsonNode spec) {
        if (windows(spec)) {
            return null;
        }
        List<String> setters = new ArrayList<>();
        Set<String> values = new TreeSet<>();
        boolean podSet = false;
        JsonNode podProfile = spec.path("securityContext").path("seccompProfile");
        if (podProfile.isObject()) {
            String type = podProfile.path("type").asString("");
            if (validSeccomp(type)) {
                podSet = true;
            } else {
                setters.add("pod");
                values.add(type);
            }
        }
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        for (Named c : containers(spec)) {
            JsonNode profile = c.container().path("securityContext").path("seccompProfile");
            if (profile.isObject()) {
                String type = profile.path("type").asString("");
                if (!validSeccomp(type)) {
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

    private static @Nullable Violation sysctls(JsonNode metadata, JsonNode spec) {
        List<String> forbidden = new ArrayList<>();
        for (JsonNode sysctl : spec.path("securityContext").path("sysctls")) {
            String name = sysctl.path("name").asString("");
            if (!SAFE_SYSCTLS.contains(name)) {
                forbidden.add(name);
            }
        }
        return forbidden.isEmpty() ? null : new Violation("forbidden sysctls", String.join(", ", forbidden));
    }

    private static @Nullable Violation windowsHostProcess(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        if (spec.path("securityContext").path("windowsOptions").path("hostProcess").asBoolean(false)) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (Named c : containers(spec)) {
            if (c.container().path("securityContext").path("windowsOptions").path("hostProcess").asBoolean(false)) {
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
