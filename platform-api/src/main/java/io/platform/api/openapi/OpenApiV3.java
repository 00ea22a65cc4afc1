package io.platform.api.openapi;

import io.kubernetes.client.openapi.models.V1APIGroupList;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import io.kubernetes.client.openapi.models.V1APIVersions;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Status;
import io.platform.api.discovery.Subresources;
import io.platform.api.discovery.Subresources.Subresource;
import io.platform.api.discovery.VersionInfo;
import io.platform.api.openapi.ModelSchemas.GroupVersionKind;
import io.platform.api.openapi.OpenApiPaths.ServedResource;
import io.platform.api.openapi.OpenApiPaths.ServedSubresource;
import io.platform.api.registry.ResourceType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI v3 documents served under {@code /openapi/v3}: one per group-version ({@code api/v1},
 * {@code apis/apps/v1}, ...) plus {@code api} and {@code apis}, generated once from the client-java-api models
 * of the registered types. kubectl needs them for {@code create/apply/replace/edit} (it looks for the
 * {@code fieldValidation} parameter on PATCH) and for {@code explain}.
 *
 * <p>The returned documents are shared and must not be modified.
 */
public final class OpenApiV3 {

    private static final String MODELS_PACKAGE = "io.kubernetes.client.openapi.models.";
    private static final Map<String, Optional<Class<?>>> MODEL_CLASSES = new ConcurrentHashMap<>();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** A generated document, its serialized form and the hash the index advertises. */
    private record Document(JsonNode json, byte[] bytes, String hash) {}

    private final ModelSchemas schemas = new ModelSchemas();
    private final Map<String, String> definitionsByResource = new LinkedHashMap<>();
    private final Map<String, Document> documents = new TreeMap<>();
    private final JsonNode index;

    public OpenApiV3(List<ResourceType> types) {
        String corePackage = ModelNames.groupPackage("", "v1");
        String status = schemas.add(V1Status.class, corePackage);
        schemas.addKind(status, new GroupVersionKind("", "v1", "Status"));
        String deleteOptions = schemas.add(V1DeleteOptions.class, corePackage);
        schemas.addKind(deleteOptions, new GroupVersionKind("", "v1", "DeleteOptions"));
        String resourceList = schemas.add(V1APIResourceList.class, corePackage);

        Map<String, List<ServedResource>> byGroupVersion = new LinkedHashMap<>();
        for (ResourceType type : types) {
            Optional<ServedResource> served = serve(type);
            if (served.isEmpty()) {
                continue;
            }
            schemas.addKind(deleteOptions, new GroupVersionKind(type.group(), type.version(), "DeleteOptions"));
            byGroupVersion.computeIfAbsent(groupVersionPath(type), k -> new ArrayList<>()).add(served.get());
        }
        byGroupVersion.forEach((path, resources) -> {
            ResourceType first = resources.getFirst().type();
            OpenApiPaths paths = new OpenApiPaths(first.group(), first.version(), status, deleteOptions);
            Set<String> roots = new LinkedHashSet<>(List.of(status, deleteOptions, resourceList, ModelSchemas.PATCH));
            for (ServedResource resource : resources) {
                paths.add(resource);
                roots.add(resource.definition());
                if (resource.listDefinition() != null) {
                    roots.add(resource.listDefinition());
                }
                resource.subresources().stream()
                        .map(ServedSubresource::definition)
                        .filter(d -> d != null)
                        .forEach(roots::add);
            }
            documents.put(path, document(paths.build(resourceList), roots));
        });
        documents.put("api", discoveryDocument("/api/", "getCoreAPIVersions", "core",
                schemas.add(V1APIVersions.class, ModelNames.META_V1)));
        documents.put("apis", discoveryDocument("/apis/", "getAPIVersions", "apis",
                schemas.add(V1APIGroupList.class, ModelNames.META_V1)));
        this.index = buildIndex();
    }

    /** The {@code /openapi/v3} index: every document's path with a {@code serverRelativeURL} carrying its hash. */
    public JsonNode index() {
        return index;
    }

    /** The document of {@code api/v1}, {@code apis/apps/v1}, {@code api}, {@code apis}, ... */
    public Optional<JsonNode> document(String groupVersionPath) {
        return Optional.ofNullable(documents.get(trim(groupVersionPath))).map(Document::json);
    }

    /** The same document as JSON bytes, exactly the bytes its advertised hash was computed over. */
    public Optional<byte[]> documentBytes(String groupVersionPath) {
        return Optional.ofNullable(documents.get(trim(groupVersionPath))).map(d -> d.bytes().clone());
    }

    /** The hash the index advertises for a document (uppercase hex SHA-512, as kube-apiserver). */
    public Optional<String> hash(String groupVersionPath) {
        return Optional.ofNullable(documents.get(trim(groupVersionPath))).map(Document::hash);
    }

    /**
     * The client-java-api model class of a registered type, e.g. {@code V1Pod} for core/v1 Pod and
     * {@code CoreV1Event} for core/v1 Event.
     *
     * @throws IllegalArgumentException when client-java-api has no model of the type
     */
    public static Class<?> modelClass(ResourceType type) {
        return findModelClass(type.group(), type.version(), type.kind())
                .orElseThrow(() -> new IllegalArgumentException(
                        "client-java-api has no model of " + type.apiVersion() + " " + type.kind()));
    }

    /** The client-java-api model of a kind; the class name carries the group only where names collide. */
    static Optional<Class<?>> findModelClass(String group, String version, String kind) {
        // every write asks (field management): a miss searches the whole class path, so answers are kept
        return MODEL_CLASSES.computeIfAbsent(group + "/" + version + "/" + kind, key -> lookUpModelClass(group, version, kind));
    }

    private static Optional<Class<?>> lookUpModelClass(String group, String version, String kind) {
        String versionWord = Character.toUpperCase(version.charAt(0)) + version.substring(1);
        String groupWord = OpenApiPaths.groupWords(group.isEmpty() ? "" : group.split("\\.")[0]);
        for (String simpleName : List.of(groupWord + versionWord + kind, versionWord + kind)) {
            try {
                Class<?> model = Class.forName(MODELS_PACKAGE + simpleName, false, OpenApiV3.class.getClassLoader());
                if (ModelFields.isModel(model)) {
                    return Optional.of(model);
                }
            } catch (ClassNotFoundException e) {
                // the other spelling may exist
            }
        }
        return Optional.empty();
    }

    /** The definition name of a registered type's root, if it is served. */
    Optional<String> definition(ResourceType type) {
        return Optional.ofNullable(definitionsByResource.get(type.apiVersion() + "/" + type.kind()));
    }

    /** Every definition, for validating objects against. */
    Map<String, ObjectNode> definitions() {
        return schemas.all();
    }

    private Optional<ServedResource> serve(ResourceType type) {
        Optional<Class<?>> model = findModelClass(type.group(), type.version(), type.kind());
        // create-only types (the reviews) have no list kind, as upstream
        Optional<Class<?>> list = type.createOnly() ? Optional.empty()
                : findModelClass(type.group(), type.version(), type.kind() + "List");
        if (model.isEmpty() || (list.isEmpty() && !type.createOnly())) {
            // no client-java-api model (e.g. metrics.k8s.io): served without an OpenAPI document
            return Optional.empty();
        }
        String groupPackage = ModelNames.groupPackage(type.group(), type.version());
        String definition = schemas.add(model.get(), groupPackage);
        schemas.addKind(definition, new GroupVersionKind(type.group(), type.version(), type.kind()));
        String listDefinition = null;
        if (list.isPresent()) {
            listDefinition = schemas.add(list.get(), groupPackage);
            schemas.addKind(listDefinition, new GroupVersionKind(type.group(), type.version(), type.kind() + "List"));
        }
        definitionsByResource.put(type.apiVersion() + "/" + type.kind(), definition);
        List<ServedSubresource> subresources = new ArrayList<>();
        for (String name : new TreeSet<>(type.subresources())) {
            Subresource subresource = Subresources.describe(type, name);
            subresources.add(new ServedSubresource(subresource, subresourceDefinition(type, subresource)));
        }
        return Optional.of(new ServedResource(type, definition, listDefinition, List.copyOf(subresources)));
    }

    /** The definition a subresource answers with when it is another kind than its resource (Scale, Binding). */
    private @Nullable String subresourceDefinition(ResourceType type, Subresource subresource) {
        if (subresource.kind().equals(type.kind()) && subresource.sameGroupVersion()) {
            return null;
        }
        Optional<Class<?>> model = findModelClass(subresource.group(), subresource.version(), subresource.kind());
        if (model.isEmpty()) {
            return null;
        }
        String definition = schemas.add(model.get(),
                ModelNames.groupPackage(subresource.group(), subresource.version()));
        schemas.addKind(definition,
                new GroupVersionKind(subresource.group(), subresource.version(), subresource.kind()));
        return definition;
    }

    private Document document(ObjectNode paths, Set<String> roots) {
        ObjectNode document = JSON.objectNode();
        document.set("components", JSON.objectNode().set("schemas", schemas.closure(roots)));
        ObjectNode info = document.putObject("info");
        info.put("title", "Kubernetes");
        info.put("version", VersionInfo.GIT_VERSION);
        document.put("openapi", "3.0.0");
        document.set("paths", paths);
        byte[] bytes = MAPPER.writeValueAsBytes(document);
        return new Document(document, bytes, sha512(bytes));
    }

    private Document discoveryDocument(String path, String operationId, String tag, String responseDefinition) {
        ObjectNode get = JSON.objectNode();
        get.put("description", "get available API versions");
        get.put("operationId", operationId);
        ObjectNode responses = get.putObject("responses");
        ObjectNode ok = responses.putObject("200");
        ok.putObject("content").putObject("application/json").putObject("schema")
                .put("$ref", ModelSchemas.REF_PREFIX + responseDefinition);
        ok.put("description", "OK");
        responses.putObject("401").put("description", "Unauthorized");
        get.putArray("tags").add(tag);
        ObjectNode paths = JSON.objectNode();
        paths.putObject(path).set("get", get);
        return document(paths, Set.of(responseDefinition));
    }

    private JsonNode buildIndex() {
        ObjectNode paths = JSON.objectNode();
        documents.forEach((path, document) -> paths.putObject(path)
                .put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + document.hash()));
        ObjectNode index = JSON.objectNode();
        index.set("paths", paths);
        return index;
    }

    private static String groupVersionPath(ResourceType type) {
        return type.group().isEmpty() ? "api/" + type.version() : "apis/" + type.group() + "/" + type.version();
    }

    private static String trim(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int query = trimmed.indexOf('?');
        return query < 0 ? trimmed : trimmed.substring(0, query);
    }

    private static String sha512(byte[] bytes) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is part of every Java platform", e);
        }
    }
}
