package io.platform.api.discovery;

import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code /version} answer. The platform emulates Kubernetes 1.32: kubectl's version dispatcher picks its
 * matching minor from this, and clients gate features on it.
 */
public final class VersionInfo {

    public static final String MAJOR = "1";
    public static final String MINOR = "32";
    /** Semantic version with the platform as build metadata, as distributions (k3s, EKS) do. */
    public static final String GIT_VERSION = "v1.32.4+platform";

    private VersionInfo() {}

    public static JsonNode json() {
        ObjectNode version = JsonNodeFactory.instance.objectNode();
        version.put("major", MAJOR);
        version.put("minor", MINOR);
        version.put("gitVersion", GIT_VERSION);
        String build = VersionInfo.class.getPackage().getImplementationVersion();
        version.put("gitCommit", build == null ? "unknown" : build);
        version.put("gitTreeState", "clean");
        // the Unix epoch is what Kubernetes reports when a build carries no date
        version.put("buildDate", "1970-01-01T00:00:00Z");
        version.put("goVersion", "java" + Runtime.version());
        version.put("compiler", "gc");
        version.put("platform", os() + "/" + arch());
        return version;
    }

    private static String os() {
        String name = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
        return name.startsWith("mac") ? "darwin" : name.startsWith("windows") ? "windows" : name;
    }

    /** Go's architecture names. */
    private static String arch() {
        String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }
}
