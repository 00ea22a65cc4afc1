package io.platform.agent.pod;

import io.fabric8.kubernetes.api.model.Secret;
import io.platform.agent.runtime.ContainerRuntime.RegistryCredential;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The credentials of a pod's {@code imagePullSecrets} that apply to one image, matched as upstream's
 * credential keyring: a key's host (with {@code *} globs per dot-separated label) and port must match
 * the image's registry and its path must prefix the image's; longer keys first; keys of Docker Hub
 * ({@code index.docker.io}, {@code https://index.docker.io/v1/}) serve images without a registry or on
 * {@code docker.io}.
 */
final class RegistryCredentials {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String DEFAULT_REGISTRY = "index.docker.io";

    private RegistryCredentials() {}

    /** Credentials for {@code image} from the given Secrets, most specific key first. */
    static List<RegistryCredential> forImage(String image, List<Secret> secrets) {
        // keyed by normalized location, in reverse order as the keyring's index: longer, more specific keys first
        Map<String, List<RegistryCredential>> keyring = new TreeMap<>(Comparator.reverseOrder());
        for (Secret secret : secrets) {
            for (Map.Entry<String, RegistryCredential> entry : entries(secret).entrySet()) {
                String key = normalize(entry.getKey());
                if (key != null) {
                    keyring.computeIfAbsent(key, k -> new ArrayList<>()).add(entry.getValue());
                }
            }
        }
        List<RegistryCredential> matched = new ArrayList<>();
        keyring.forEach((key, credentials) -> {
            if (matches(key, image)) {
                matched.addAll(credentials);
            }
        });
        if (matched.isEmpty() && isDefaultRegistry(image) && keyring.containsKey(DEFAULT_REGISTRY)) {
            matched.addAll(keyring.get(DEFAULT_REGISTRY));
        }
        return matched;
    }

    /** The entries of a {@code kubernetes.io/dockerconfigjson} or legacy {@code kubernetes.io/dockercfg} Secret. */
    private static Map<String, RegistryCredential> entries(Secret secret) {
        Map<String, RegistryCredential> entries = new TreeMap<>();
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        JsonNode auths;
        try {
            if ("kubernetes.io/dockerconfigjson".equals(secret.getType()) && data.containsKey(".dockerconfigjson")) {
                auths = JSON.readTree(decode(data.get(".dockerconfigjson"))).path("auths");
            } else if ("kubernetes.io/dockercfg".equals(secret.getType()) && data.containsKey(".dockercfg")) {
                auths = JSON.readTree(decode(data.get(".dockercfg")));
            } else {
                return entries;
            }
        } catch (JacksonException | IllegalArgumentException e) {
            return entries;
        }
        for (Map.Entry<String, JsonNode> auth : auths.properties()) {
            JsonNode value = auth.getValue();
            String username = text(value, "username");
            String password = text(value, "password");
            String encoded = text(value, "auth");
            if (encoded != null && (username == null || password == null)) {
                String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    username = decoded.substring(0, colon);
                    password = decoded.substring(colon + 1);
                }
            }
            entries.put(auth.getKey(), new RegistryCredential(auth.getKey(), username, password, text(value, "identitytoken")));
        }
        return entries;
    }

    /** The keyring's form of a location: host plus path, {@code /v1/} and {@code /v2/} prefixes dropped. */
    static @Nullable String normalize(String location) {
        URI uri = parse(location);
        if (uri == null || uri.getRawAuthority() == null) {
            return null;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.startsWith("/v1/") || path.startsWith("/v2/")) {
            path = path.substring(3);
        }
        return path.isEmpty() || path.equals("/") ? uri.getRawAuthority() : uri.getRawAuthority() + path;
    }

    /** Upstream's {@code URLsMatchStr}: glob host labels, equal ports, path prefix. */
    static boolean matches(String key, String image) {
        URI glob = parse(key);
        URI target = parse(image);
        if (glob == null || target == null || glob.getRawAuthority() == null || target.getRawAuthority() == null) {
            return false;
        }
        String[] globHost = splitPort(glob.getRawAuthority());
        String[] targetHost = splitPort(target.getRawAuthority());
        if (!globHost[1].equals(targetHost[1])) {
            return false;
        }
        String[] globLabels = globHost[0].split("\\.", -1);
        String[] targetLabels = targetHost[0].split("\\.", -1);
        if (globLabels.length != targetLabels.length) {
            return false;
        }
        for (int i = 0; i < globLabels.length; i++) {
            if (!FileSystems.getDefault().getPathMatcher("glob:" + globLabels[i]).matches(Path.of(targetLabels[i]))) {
                return false;
            }
        }
        String globPath = glob.getRawPath() == null ? "" : glob.getRawPath();
        String targetPath = target.getRawPath() == null ? "" : target.getRawPath();
        return targetPath.startsWith(globPath);
    }

    /** Upstream's {@code isDefaultRegistryMatch}: no registry host in the image, or Docker Hub's names. */
    static boolean isDefaultRegistry(String image) {
        String[] parts = image.split("/", 2);
        if (parts[0].isEmpty()) {
            return false;
        }
        if (parts.length == 1 || parts[0].equals("docker.io") || parts[0].equals(DEFAULT_REGISTRY)) {
            return true;
        }
        return !parts[0].contains(".") && !parts[0].contains(":");
    }

    private static String[] splitPort(String authority) {
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? new String[] {authority, ""} : new String[] {authority.substring(0, colon), authority.substring(colon + 1)};
    }

    private static @Nullable URI parse(String location) {
        String value = location.startsWith("https://") || location.startsWith("http://") ? location : "https://" + location;
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() && !value.asString().isEmpty() ? value.asString() : null;
    }
}
