package io.platform.agent.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapEnvSource;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretEnvSource;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A container's environment and command line with Kubernetes semantics: {@code envFrom}, {@code env} values,
 * {@code fieldRef}, {@code resourceFieldRef}, {@code configMapKeyRef}/{@code secretKeyRef} read through the API, the service
 * variables ({@link ServiceLinks}), and {@code $(VAR)} expansion in values, command and args.
 */
final class ContainerEnvironment {

    /** The container cannot be configured yet (the kubelet's {@code CreateContainerConfigError}). */
    static final class ConfigException extends Exception {
        ConfigException(String message) {
            super(message);
        }
    }

    /** What Docker gets: {@code NAME=value} entries, ENTRYPOINT and CMD (empty = the image's). */
    record Resolved(List<String> env, List<String> entrypoint, List<String> cmd) {}

    /** The services this node knows of; empty until they have been listed once. */
    @FunctionalInterface
    interface Services {
        Optional<List<Service>> list();
    }

    private final KubernetesClient client;
    private final Services services;

    ContainerEnvironment(KubernetesClient client, Services services) {
        this.client = client;
        this.services = services;
    }

    Resolved resolve(Pod pod, Container container, @Nullable String podIp, String nodeName) throws ConfigException {
        Map<String, String> env = new LinkedHashMap<>();
        String namespace = pod.getMetadata().getNamespace();
        Map<String, String> serviceEnv = serviceVariables(pod);
        // $(VAR) in a value sees the variables defined before it, then the service variables, as the kubelet's mapping
        Map<String, String> visible = new HashMap<>(serviceEnv);
        // envFrom first, in order; env entries then override, as the kubelet's makeEnvironmentVariables
        if (container.getEnvFrom() != null) {
            for (EnvFromSource source : container.getEnvFrom()) {
                Map<String, String> values = envFrom(source, namespace);
                String prefix = source.getPrefix() == null ? "" : source.getPrefix();
                values.forEach((key, value) -> {
                    env.put(prefix + key, value);
                    visible.put(prefix + key, value);
                });
            }
        }
        if (container.getEnv() != null) {
            for (EnvVar variable : container.getEnv()) {
                String value;
                if (variable.getValueFrom() != null) {
                    value = valueFrom(pod, variable, variable.getValueFrom(), namespace, podIp, nodeName);
                    if (value == null) {
                        continue;
                    }
                } else {
                    value = expand(variable.getValue() == null ? "" : variable.getValue(), visible);
                }
                env.put(variable.getName(), value);
                visible.put(variable.getName(), value);
            }
        }
        // service variables the container does not set itself come last, as the kubelet appends them
        serviceEnv.forEach(env::putIfAbsent);
        List<String> entries = new ArrayList<>();
        env.forEach((name, value) -> entries.add(name + "=" + value));
        // command replaces ENTRYPOINT and args replace CMD; Docker drops the image CMD once ENTRYPOINT is given
        List<String> entrypoint = expandAll(container.getCommand(), env);
        List<String> cmd = expandAll(container.getArgs(), env);
        return new Resolved(entries, entrypoint, cmd);
    }

    /** Every key of the referenced ConfigMap or Secret; empty when it is optional and missing. */
    private Map<String, String> envFrom(EnvFromSource source, String namespace) throws ConfigException {
        Map<String, String> values = new LinkedHashMap<>();
        if (source.getConfigMapRef() != null) {
            ConfigMapEnvSource ref = source.getConfigMapRef();
            ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
            if (configMap == null) {
                if (Boolean.TRUE.equals(ref.getOptional())) {
                    return values;
                }
                throw new ConfigException("configmap \"" + ref.getName() + "\" not found");
            }
            if (configMap.getData() != null) {
                values.putAll(new java.util.TreeMap<>(configMap.getData()));
            }
        } else if (source.getSecretRef() != null) {
            SecretEnvSource ref = source.getSecretRef();
            Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
            if (secret == null) {
                if (Boolean.TRUE.equals(ref.getOptional())) {
                    return values;
                }
                throw new ConfigException("secret \"" + ref.getName() + "\" not found");
            }
            if (secret.getData() != null) {
                new java.util.TreeMap<>(secret.getData()).forEach((key, encoded) ->
                        values.put(key, new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8)));
            }
        }
        // keys that cannot be variable names are skipped, as the kubelet does (it reports them in an event)
        values.keySet().removeIf(key -> key.isEmpty() || key.contains("="));
        return values;
    }

    private Map<String, String> serviceVariables(Pod pod) throws ConfigException {
        Optional<List<Service>> known = services.list();
        if (known.isEmpty()) {
            // as the kubelet: without the services the environment would be incomplete, so the container waits
            throw new ConfigException("services have not yet been read at least once, cannot construct envvars");
        }
        boolean links = !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
        return ServiceLinks.variables(known.get(), pod.getMetadata().getNamespace(), links);
    }

    private @Nullable String valueFrom(Pod pod, EnvVar variable, EnvVarSource source, String namespace,
            @Nullable String podIp, String nodeName) throws ConfigException {
        if (source.getFieldRef() != null) {
            String path = source.getFieldRef().getFieldPath();
            return switch (path) {
                case "metadata.name" -> pod.getMetadata().getName();
                case "metadata.namespace" -> namespace;
                case "metadata.uid" -> pod.getMetadata().getUid();
                case "spec.nodeName" -> nodeName;
                case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName() == null
                        ? "" : pod.getSpec().getServiceAccountName();
                case "status.podIP" -> podIp == null ? "" : podIp;
                case "status.hostIP" -> pod.getStatus() == null || pod.getStatus().getHostIP() == null
                        ? "" : pod.getStatus().getHostIP();
                default -> fieldFromMetadataMaps(pod, path, variable.getName());
            };
        }
        if (source.getConfigMapKeyRef() != null) {
            ConfigMapKeySelector ref = source.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
            if (configMap == null) {
                if (optional) {
                    return null;
                }
                throw new ConfigException("configmap \"" + ref.getName() + "\" not found");
            }
            String value = configMap.getData() == null ? null : configMap.getData().get(ref.getKey());
            if (value == null && !optional) {
                throw new ConfigException("couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
            }
            return value;
        }
        if (source.getSecretKeyRef() != null) {
            SecretKeySelector ref = source.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
            if (secret == null) {
                if (optional) {
                    return null;
                }
                throw new ConfigException("secret \"" + ref.getName() + "\" not found");
            }
            String encoded = secret.getData() == null ? null : secret.getData().get(ref.getKey());
            if (encoded == null && secret.getStringData() != null) {
                return secret.getStringData().get(ref.getKey());
            }
            if (encoded == null) {
                if (optional) {
                    return null;
                }
                throw new ConfigException("couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
            }
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        }
        if (source.getResourceFieldRef() != null) {
            return resourceField(pod, source.getResourceFieldRef(), variable.getName(), nodeName);
        }
        throw new ConfigException("environment variable " + variable.getName()
                + " uses a valueFrom source this node agent does not support");
    }

    /**
     * {@code limits.cpu}, {@code requests.memory}, ... of the named (or this) container divided by the divisor and
     * rounded up, as the downward API; an unset limit is the node's allocatable amount, as the kubelet substitutes it.
     */
    private String resourceField(Pod pod, ResourceFieldSelector ref, String variable, String nodeName) throws ConfigException {
        String resource = ref.getResource();
        int dot = resource == null ? -1 : resource.indexOf('.');
        if (dot < 0) {
            throw new ConfigException("environment variable " + variable + ": unsupported resource " + resource);
        }
        String kind = resource.substring(0, dot);
        String name = resource.substring(dot + 1);
        Container target = pod.getSpec().getContainers().stream()
                .filter(c -> ref.getContainerName() == null || ref.getContainerName().isEmpty() || c.getName().equals(ref.getContainerName()))
                .findFirst()
                .orElseThrow(() -> new ConfigException("environment variable " + variable + ": no container named "
                        + ref.getContainerName()));
        Map<String, Quantity> amounts = target.getResources() == null ? null
                : kind.equals("limits") ? target.getResources().getLimits() : target.getResources().getRequests();
        Quantity amount = amounts == null ? null : amounts.get(name);
        if (amount == null && kind.equals("limits")) {
            Node node = client.nodes().withName(nodeName).get();
            amount = node == null || node.getStatus() == null || node.getStatus().getAllocatable() == null
                    ? null : node.getStatus().getAllocatable().get(name);
        }
        if (amount == null) {
            return "0";
        }
        BigDecimal divisor = ref.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(ref.getDivisor());
        if (divisor.signum() == 0) {
            throw new ConfigException("environment variable " + variable + ": divisor must not be zero");
        }
        return Quantity.getAmountInBytes(amount).divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    private static String fieldFromMetadataMaps(Pod pod, String path, String variable) throws ConfigException {
        // metadata.labels['key'] and metadata.annotations['key'], as the downward API allows
        for (String prefix : List.of("metadata.labels['", "metadata.annotations['")) {
            if (path.startsWith(prefix) && path.endsWith("']")) {
                String key = path.substring(prefix.length(), path.length() - 2);
                Map<String, String> values = prefix.contains("labels")
                        ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
                return values == null ? "" : values.getOrDefault(key, "");
            }
        }
        throw new ConfigException("environment variable " + variable + ": unsupported fieldPath " + path);
    }

    private static List<String> expandAll(@Nullable List<String> values, Map<String, String> env) {
        if (values == null) {
            return List.of();
        }
        return values.stream().map(value -> expand(value, env)).toList();
    }

    /**
     * Kubernetes' {@code $(VAR)} expansion: defined variables are replaced, {@code $$} escapes a
     * dollar, anything else stays as written.
     */
    static String expand(String input, Map<String, String> env) {
        StringBuilder out = new StringBuilder(input.length());
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c == '$' && i + 1 < input.length()) {
                char next = input.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                    i += 2;
                    continue;
                }
                if (next == '(') {
                    int close = input.indexOf(')', i + 2);
                    if (close > 0) {
                        String name = input.substring(i + 2, close);
                        String value = env.get(name);
                        out.append(value != null ? value : input, value != null ? 0 : i,
                                value != null ? value.length() : close + 1);
                        i = close + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
