package io.platform.api.openapi;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Names client-java-api model classes the way Kubernetes names their OpenAPI definitions
 * ({@code V1Deployment} → {@code io.k8s.api.apps.v1.Deployment}). The class names drop the Go package, so the
 * package comes from the protobuf descriptors of {@code client-java-proto}, which carry Kubernetes' own package
 * names; a type those descriptors do not know (newer than the generated protos) lives in the package of the type
 * that refers to it, which is where Kubernetes keeps new nested types.
 */
final class ModelNames {

    static final String META_V1 = "io.k8s.apimachinery.pkg.apis.meta.v1";

    /** {@code [Group]Version Name}: {@code V1Pod}, {@code CoreV1Event}, {@code V1beta1CronJob}. */
    private static final Pattern CLASS_NAME =
            Pattern.compile("^([A-Z][a-z]+)?(V\\d+(?:(?:alpha|beta)\\d+)?)([A-Z]\\w*)$");

    /** Groups whose Go types live outside k8s.io/api. */
    private static final Map<String, String> NON_API_PACKAGES = Map.of(
            "apiextensions", "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
            "apiregistration", "io.k8s.kube-aggregator.pkg.apis.apiregistration");

    private static final String PROTO_PACKAGE = "io.kubernetes.client.proto.";

    private final Map<Class<?>, String> names = new HashMap<>();
    private final Map<String, Set<String>> messagesByPackage = new HashMap<>();

    /** The definition package of an API group-version, e.g. {@code io.k8s.api.apps.v1} for ("apps", "v1"). */
    static String groupPackage(String group, String version) {
        String word = group.isEmpty() ? "core" : group.split("\\.")[0];
        return NON_API_PACKAGES.getOrDefault(word, "io.k8s.api." + word) + "." + version;
    }

    /**
     * The definition name of {@code model}; {@code referrerPackage} is the package of the type that refers to it
     * (for a top-level kind, the package of its group-version).
     */
    synchronized String name(Class<?> model, String referrerPackage) {
        String known = names.get(model);
        if (known != null) {
            return known;
        }
        Matcher parts = CLASS_NAME.matcher(model.getSimpleName());
        if (!parts.matches()) {
            throw new IllegalArgumentException("not a client-java-api model class name: " + model.getName());
        }
        String version = parts.group(2).toLowerCase(Locale.ROOT);
        String kind = parts.group(3);
        String name = (parts.group(1) != null
                ? groupPackage(parts.group(1).toLowerCase(Locale.ROOT), version)
                : packageOf(kind, version, referrerPackage)) + "." + kind;
        names.put(model, name);
        return name;
    }

    private String packageOf(String kind, String version, String referrerPackage) {
        if (referrerPackage.endsWith("." + version) && messages(referrerPackage).contains(kind)) {
            return referrerPackage;
        }
        String meta = "io.k8s.apimachinery.pkg.apis.meta." + version;
        if (messages(meta).contains(kind)) {
            return meta;
        }
        String core = groupPackage("", version);
        if (messages(core).contains(kind)) {
            return core;
        }
        return referrerPackage;
    }

    /** The message names the protobuf descriptors hold for a definition package (empty when none ship). */
    private Set<String> messages(String definitionPackage) {
        return messagesByPackage.computeIfAbsent(definitionPackage, ModelNames::loadMessages);
    }

    private static Set<String> loadMessages(String definitionPackage) {
        // the generated outer classes are named Meta (apimachinery meta/v1), V1 (core/v1), V1Apps (apps/v1), ...
        String[] segments = definitionPackage.split("\\.");
        String version = segments[segments.length - 1];
        String outer;
        if (definitionPackage.equals(META_V1)) {
            outer = "Meta";
        } else if (definitionPackage.startsWith("io.k8s.api.")) {
            String group = segments[segments.length - 2];
            outer = Character.toUpperCase(version.charAt(0)) + version.substring(1)
                    + (group.equals("core") ? "" : Character.toUpperCase(group.charAt(0)) + group.substring(1));
        } else {
            return Set.of();
        }
        try {
            FileDescriptor file = (FileDescriptor) Class.forName(PROTO_PACKAGE + outer).getMethod("getDescriptor").invoke(null);
            if (!("io." + file.getPackage().replaceFirst("^k8s\\.io\\.", "k8s.")).equals(definitionPackage)) {
                return Set.of();
            }
            return file.getMessageTypes().stream().map(Descriptor::getName).collect(Collectors.toUnmodifiableSet());
        } catch (ClassNotFoundException e) {
            return Set.of();
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read protobuf descriptor " + outer, e);
        }
    }
}
