package io.platform.api.discovery;

import io.platform.api.discovery.Subresources.Subresource;
import io.platform.api.registry.ResourceType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The discovery documents of {@code /api}, {@code /apis} and each group-version, in both forms kubectl reads: the
 * legacy APIVersions / APIGroupList / APIResourceList, and aggregated discovery
 * ({@code apidiscovery.k8s.io/v2} APIGroupDiscoveryList, one request for everything, where a resource without
 * {@code responseKind} is dropped by the client). Built once from the registered types.
 *
 * <p>The returned documents are shared and must not be modified.
 */
public final class DiscoveryDocuments {

    public static final String AGGREGATED_CONTENT_TYPE =
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern VERSION = Pattern.compile("^v(\\d+)(?:(alpha|beta)(\\d+))?$");

    /** Kubernetes' order of versions within a group: GA before beta before alpha, higher numbers first. */
    static final Comparator<String> VERSION_PRIORITY = Comparator.comparing(DiscoveryDocuments::rank);

    /** group → version → types, groups in registration order, versions in priority order. */
    private final Map<String, Map<String, List<ResourceType>>> groups = new LinkedHashMap<>();
    private final JsonNode coreVersions;
    private final JsonNode groupList;
    private final Map<String, JsonNode> resourceLists = new LinkedHashMap<>();
    private final JsonNode aggregatedCore;
    private final JsonNode aggregatedGroups;

    public DiscoveryDocuments(List<ResourceType> types) {
        this(types, List.of());
    }

    /**
     * @param serverAddresses the {@code host:port}s clients reach the API server at, listed in
     *     {@code serverAddressByClientCIDRs} of {@code /api} and {@code /apis} for every client network
     */
    public DiscoveryDocuments(List<ResourceType> types, List<String> serverAddresses) {
        for (ResourceType type : types) {
            groups.computeIfAbsent(type.group(), g -> new LinkedHashMap<>())
                    .computeIfAbsent(type.version(), v -> new ArrayList<>())
                    .add(type);
        }
        groups.replaceAll((group, versions) -> sortedVersions(versions));
        groups.forEach((group, versions) -> versions.forEach((version, list) ->
                resourceLists.put(groupVersion(group, version), resourceList(group, version, list))));
        this.coreVersions = coreVersions(serverAddresses);
        this.groupList = groupList(serverAddresses);
        this.aggregatedCore = aggregated(true);
        this.aggregatedGroups = aggregated(false);
    }

    /** {@code /api}: the versions of the core group. */
    public JsonNode coreVersions() {
        return coreVersions;
    }

    /** {@code /apis}: every named group with its versions, the preferred one first. */
    public JsonNode groups() {
        return groupList;
    }

    /** {@code /api/v1} ({@code group} "") or {@code /apis/{group}/{version}}: the resources of a group-version. */
    public Optional<JsonNode> resources(String group, String version) {
        return Optional.ofNullable(resourceLists.get(groupVersion(group, version)));
    }

    /** {@code /api} with the aggregated-discovery Accept header. */
    public JsonNode aggregatedCore() {
        return aggregatedCore;
    }

    /** {@code /apis} with the aggregated-discovery Accept header. */
    public JsonNode aggregatedGroups() {
        return aggregatedGroups;
    }

    private JsonNode coreVersions(List<String> serverAddresses) {
        ObjectNode versions = JSON.objectNode();
        versions.put("kind", "APIVersions");
        ArrayNode list = versions.putArray("versions");
        groups.getOrDefault("", Map.of()).keySet().forEach(list::add);
        versions.set("serverAddressByClientCIDRs", serverAddresses(serverAddresses));
        return versions;
    }

    private JsonNode groupList(List<String> serverAddresses) {
        ObjectNode list = JSON.objectNode();
        list.put("kind", "APIGroupList");
        list.put("apiVersion", "v1");
        ArrayNode array = list.putArray("groups");
        groups.forEach((group, versions) -> {
            if (group.isEmpty()) {
                return;
            }
            ObjectNode entry = array.addObject();
            entry.put("name", group);
            ArrayNode versionArray = entry.putArray("versions");
            versions.keySet().forEach(version -> versionArray.add(groupVersionEntry(group, version)));
            entry.set("preferredVersion", groupVersionEntry(group, versions.keySet().iterator().next()));
            entry.set("serverAddressByClientCIDRs", serverAddresses(serverAddresses));
        });
        return list;
    }

    private static ObjectNode groupVersionEntry(String group, String version) {
        ObjectNode entry = JSON.objectNode();
        entry.put("groupVersion", group + "/" + version);
        entry.put("version", version);
        return entry;
    }

    private static ArrayNode serverAddresses(List<String> serverAddresses) {
        ArrayNode array = JSON.arrayNode();
        for (String address : serverAddresses) {
            ObjectNode entry = array.addObject();
            entry.put("clientCIDR", "0.0.0.0/0");
            entry.put("serverAddress", address);
        }
        return array;
    }

    private static JsonNode resourceList(String group, String version, List<ResourceType> types) {
        ObjectNode list = JSON.objectNode();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", groupVersion(group, version));
        ArrayNode resources = list.putArray("resources");
        for (ResourceType type : types) {
            ObjectNode resource = resources.addObject();
            resource.put("name", type.plural());
            resource.put("singularName", type.singular());
            resource.put("namespaced", type.namespaced());
            resource.put("kind", type.kind());
            strings(resource.putArray("verbs"), ResourceVerbs.of(type));
            if (!type.shortNames().isEmpty()) {
                strings(resource.putArray("shortNames"), type.shortNames());
            }
            if (!type.categories().isEmpty()) {
                strings(resource.putArray("categories"), type.categories());
            }
            if (!type.createOnly()) {
                // as kube-apiserver: only types with storage carry a storage version hash
                resource.put("storageVersionHash", storageVersionHash(type));
            }
            for (Subresource sub : subresources(type)) {
                ObjectNode entry = resources.addObject();
                entry.put("name", type.plural() + "/" + sub.name());
                entry.put("singularName", "");
                entry.put("namespaced", type.namespaced());
                if (!sub.sameGroupVersion()) {
                    entry.put("group", sub.group());
                    entry.put("version", sub.version());
                }
                entry.put("kind", sub.kind());
                strings(entry.putArray("verbs"), sub.verbs());
            }
        }
        return list;
    }

    private JsonNode aggregated(boolean core) {
        ObjectNode list = JSON.objectNode();
        list.put("kind", "APIGroupDiscoveryList");
        list.put("apiVersion", "apidiscovery.k8s.io/v2");
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        groups.forEach((group, versions) -> {
            if (group.isEmpty() != core) {
                return;
            }
            ObjectNode item = items.addObject();
            ObjectNode metadata = item.putObject("metadata");
            if (!group.isEmpty()) {
                metadata.put("name", group);
            }
            ArrayNode versionArray = item.putArray("versions");
            versions.forEach((version, resourceTypes) -> {
                ObjectNode entry = versionArray.addObject();
                entry.put("version", version);
                ArrayNode resources = entry.putArray("resources");
                resourceTypes.forEach(type -> resources.add(aggregatedResource(type)));
                entry.put("freshness", "Current");
            });
        });
        return list;
    }

    private static ObjectNode aggregatedResource(ResourceType type) {
        ObjectNode resource = JSON.objectNode();
        resource.put("resource", type.plural());
        // as kube-apiserver: empty group and version mean the group-version the resource is listed under
        resource.set("responseKind", responseKind("", "", type.kind()));
        resource.put("scope", type.namespaced() ? "Namespaced" : "Cluster");
        resource.put("singularResource", type.singular());
        strings(resource.putArray("verbs"), ResourceVerbs.of(type));
        if (!type.shortNames().isEmpty()) {
            strings(resource.putArray("shortNames"), type.shortNames());
        }
        if (!type.categories().isEmpty()) {
            strings(resource.putArray("categories"), type.categories());
        }
        List<Subresource> subresources = subresources(type);
        if (!subresources.isEmpty()) {
            ArrayNode array = resource.putArray("subresources");
            for (Subresource sub : subresources) {
                ObjectNode entry = array.addObject();
                entry.put("subresource", sub.name());
                entry.set("responseKind", sub.sameGroupVersion()
                        ? responseKind("", "", sub.kind())
                        : responseKind(sub.group(), sub.version(), sub.kind()));
                strings(entry.putArray("verbs"), sub.verbs());
            }
        }
        return resource;
    }

    private static List<Subresource> subresources(ResourceType type) {
        List<Subresource> list = new ArrayList<>();
        new TreeSet<>(type.subresources()).forEach(name -> list.add(Subresources.describe(type, name)));
        return list;
    }

    private static ObjectNode responseKind(String group, String version, String kind) {
        ObjectNode node = JSON.objectNode();
        node.put("group", group);
        node.put("kind", kind);
        node.put("version", version);
        return node;
    }

    /** As kube-apiserver: base64 of the first 8 bytes of SHA-256 over "group/version/kind". */
    private static String storageVersionHash(ResourceType type) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (type.group() + "/" + type.version() + "/" + type.kind()).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(Arrays.copyOf(digest, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static String groupVersion(String group, String version) {
        return group.isEmpty() ? version : group + "/" + version;
    }

    private static Map<String, List<ResourceType>> sortedVersions(Map<String, List<ResourceType>> versions) {
        Map<String, List<ResourceType>> sorted = new LinkedHashMap<>();
        versions.keySet().stream().sorted(VERSION_PRIORITY).forEach(v -> sorted.put(v, List.copyOf(versions.get(v))));
        return sorted;
    }

    /** How Kubernetes ranks a version; names that are not Kubernetes versions sort last, by name. */
    private record Rank(int stability, long major, long minor, String name) implements Comparable<Rank> {
        private static final Comparator<Rank> ORDER = Comparator.comparingInt(Rank::stability)
                .thenComparing(Comparator.comparingLong(Rank::major).reversed())
                .thenComparing(Comparator.comparingLong(Rank::minor).reversed())
                .thenComparing(Rank::name);

        @Override
        public int compareTo(Rank other) {
            return ORDER.compare(this, other);
        }
    }

    private static Rank rank(String version) {
        Matcher matcher = VERSION.matcher(version);
        if (!matcher.matches()) {
            return new Rank(3, 0, 0, version);
        }
        int stability = matcher.group(2) == null ? 0 : matcher.group(2).equals("beta") ? 1 : 2;
        long minor = matcher.group(3) == null ? 0 : Long.parseLong(matcher.group(3));
        return new Rank(stability, Long.parseLong(matcher.group(1)), minor, version);
    }
}
