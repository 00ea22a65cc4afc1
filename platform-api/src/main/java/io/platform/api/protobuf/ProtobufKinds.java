package io.platform.api.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Finds the protobuf message of an (apiVersion, kind) among the classes generated into
 * {@code io.kubernetes.client.proto}. Each Kubernetes {@code generated.proto} of group package
 * {@code <pkg>} and version {@code <v>} became one outer class {@code <V><Pkg>} (core: just {@code <V>}),
 * e.g. {@code apps/v1} → {@code V1Apps}, {@code rbac.authorization.k8s.io/v1} → {@code V1Rbac},
 * {@code v1} → {@code V1}; the kind is the message name inside it.
 */
final class ProtobufKinds {

    private static final String PROTO_PACKAGE = "io.kubernetes.client.proto.";
    private static final Map<String, FileDescriptor> FILES = new ConcurrentHashMap<>();

    private ProtobufKinds() {
    }

    static Optional<Descriptor> find(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        if (version.isEmpty() || kind.isEmpty() || (slash < 0 && apiVersion.contains("."))) {
            return Optional.empty();
        }
        // the Go package of a group is the first label of its name: rbac.authorization.k8s.io → rbac
        String groupPackage = group.isEmpty() ? "" : group.split("\\.", 2)[0];
        String outerClass = capitalize(version) + capitalize(groupPackage);
        // only found files are cached, so that made-up apiVersions cannot grow the map
        return Optional.ofNullable(FILES.computeIfAbsent(outerClass, ProtobufKinds::load))
                .filter(file -> file.getPackage().endsWith("." + (group.isEmpty() ? "core" : groupPackage) + "." + version))
                .map(file -> file.findMessageTypeByName(kind));
    }

    private static @Nullable FileDescriptor load(String outerClass) {
        if (!outerClass.matches("[A-Za-z0-9]+")) {
            return null;
        }
        try {
            Class<?> type = Class.forName(PROTO_PACKAGE + outerClass);
            return (FileDescriptor) type.getMethod("getDescriptor").invoke(null);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException | ClassCastException e) {
            return null;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot load the protobuf descriptors of " + outerClass, e.getCause());
        }
    }

    private static String capitalize(String word) {
        return word.isEmpty() ? word : word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
    }
}
