package io.platform.api.openapi;

import io.platform.api.discovery.ResourceVerbs;
import io.platform.api.discovery.Subresources.Subresource;
import io.platform.api.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code paths} of one group-version document, shaped like kube-apiserver's: collection and item paths per
 * resource with Kubernetes' operation ids, query parameters, request bodies and the
 * {@code x-kubernetes-action}/{@code x-kubernetes-group-version-kind} extensions kubectl looks for (it sends
 * {@code fieldValidation} only when the PATCH operation of the kind declares that parameter).
 */
final class OpenApiPaths {

    /**
     * A resource as the document serves it, with the definitions of its kind, list (null for create-only types,
     * which have none) and subresources.
     */
    record ServedResource(ResourceType type, String definition, @Nullable String listDefinition,
            List<ServedSubresource> subresources) {}

    /** A subresource; {@code definition} is null for streaming ones that answer with text. */
    record ServedSubresource(Subresource subresource, @Nullable String definition) {}

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> PATCH_TYPES = List.of(
            "application/apply-patch+yaml",
            "application/json-patch+json",
            "application/merge-patch+json",
            "application/strategic-merge-patch+json");

    private final String prefix;
    private final String operationPrefix;
    private final String tag;
    private final String statusDefinition;
    private final String deleteOptionsDefinition;
    private final Map<String, ObjectNode> paths = new TreeMap<>();

    OpenApiPaths(String group, String version, String statusDefinition, String deleteOptionsDefinition) {
        this.prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        this.operationPrefix = groupWords(group) + capitalize(version);
        this.tag = (group.isEmpty() ? "core" : group.replace(".k8s.io", "").replace('.', '_')) + "_" + version;
        this.statusDefinition = statusDefinition;
        this.deleteOptionsDefinition = deleteOptionsDefinition;
    }

    /** The {@code paths} object for the added resources, plus the group-version's own discovery path. */
    ObjectNode build(String resourceListDefinition) {
        ObjectNode discovery = JSON.objectNode();
        ObjectNode get = discovery.putObject("get");
        get.put("description", "get available resources");
        get.put("operationId", "get" + operationPrefix + "APIResources");
        get.set("responses", responses(ok(ref(resourceListDefinition))));
        get.putArray("tags").add(tag);
        paths.put(prefix + "/", discovery);
        ObjectNode node = JSON.objectNode();
        paths.forEach(node::set);
        return node;
    }

    void add(ServedResource resource) {
        ResourceType type = resource.type();
        ObjectNode gvk = gvk(type.group(), type.version(), type.kind());
        String scope = type.namespaced() ? "Namespaced" : "";
        String kind = type.kind();
        String collection = prefix + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
        String item = collection + "/{name}";

        ObjectNode collectionPath = pathItem(false, type.namespaced(), kind);
        ObjectNode create = operation("create " + kind,
                "create" + operationPrefix + scope + kind, "post", gvk, writeParameters(),
                body(resource.definition()), responses(ok(ref(resource.definition())),
                        created(ref(resource.definition())), accepted(ref(resource.definition()))));
        String listDefinition = resource.listDefinition();
        if (type.createOnly() || listDefinition == null) {
            // as kube-apiserver documents the review APIs: one create operation on the collection, no item path
            collectionPath.set("post", create);
            paths.put(collection, collectionPath);
            return;
        }
        collectionPath.set("get", operation("list or watch objects of kind " + kind,
                "list" + operationPrefix + scope + kind, "list", gvk, listParameters(),
                null, responses(okList(ref(listDefinition)))));
        collectionPath.set("post", create);
        if (ResourceVerbs.of(type).contains("deletecollection")) {
            collectionPath.set("delete", operation("delete collection of " + kind,
                    "delete" + operationPrefix + "Collection" + scope + kind, "deletecollection", gvk,
                    deleteCollectionParameters(), body(deleteOptionsDefinition),
                    responses(ok(ref(statusDefinition)))));
        }
        paths.put(collection, collectionPath);

        ObjectNode itemPath = pathItem(true, type.namespaced(), kind);
        itemPath.set("get", operation("read the specified " + kind,
                "read" + operationPrefix + scope + kind, "get", gvk, List.of(),
                null, responses(ok(ref(resource.definition())))));
        itemPath.set("put", operation("replace the specified " + kind,
                "replace" + operationPrefix + scope + kind, "put", gvk, writeParameters(),
                body(resource.definition()), responses(ok(ref(resource.definition())), created(ref(resource.definition())))));
        itemPath.set("patch", patchOperation("partially update the specified " + kind,
                "patch" + operationPrefix + scope + kind, gvk, resource.definition()));
        itemPath.set("delete", operation("delete " + kind,
                "delete" + operationPrefix + scope + kind, "delete", gvk, deleteParameters(),
                body(deleteOptionsDefinition), responses(ok(ref(statusDefinition)), accepted(ref(statusDefinition)))));
        paths.put(item, itemPath);

        if (type.namespaced()) {
            ObjectNode allNamespaces = JSON.objectNode();
            allNamespaces.set("get", operation("list or watch objects of kind " + kind,
                    "list" + operationPrefix + kind + "ForAllNamespaces", "list", gvk, listParameters(),
                    null, responses(okList(ref(listDefinition)))));
            allNamespaces.set("parameters", JSON.arrayNode().add(pretty()));
            paths.put(prefix + "/" + type.plural(), allNamespaces);
        }
        for (ServedSubresource subresource : resource.subresources()) {
            addSubresource(type, scope, item, resource.definition(), subresource);
        }
    }

    private void addSubresource(
            ResourceType type, String scope, String item, String parentDefinition, ServedSubresource served) {
        Subresource sub = served.subresource();
        String name = capitalize(sub.name());
        String kind = type.kind();
        ObjectNode gvk = gvk(sub.group(), sub.version(), sub.kind());
        ObjectNode path = pathItem(true, type.namespaced(), kind);
        String base = operationPrefix + scope + kind + name;
        if (sub.connect() && served.definition() == null) {
            ObjectNode text = JSON.objectNode().put("type", "string");
            if (sub.name().equals("log")) {
                path.set("get", operation("read log of the specified " + kind, "read" + base, "get",
                        gvk(type.group(), type.version(), kind), logParameters(), null,
                        responses(okContent(text, List.of("text/plain", "application/json")))));
            } else {
                for (String verb : sub.verbs()) {
                    String method = verb.equals("create") ? "post" : verb.equals("update") ? "put" : verb;
                    path.set(method, operation("connect " + method.toUpperCase(Locale.ROOT) + " requests to "
                                    + sub.name() + " of " + kind, "connect" + operationPrefix + capitalize(method)
                                    + scope + kind + name, "connect", gvk, connectParameters(sub.name()), null,
                            responses(okContent(text, List.of("*/*")))));
                }
            }
            paths.put(item + "/" + sub.name(), path);
            return;
        }
        String definition = served.definition() == null ? parentDefinition : served.definition();
        for (String verb : sub.verbs()) {
            switch (verb) {
                case "get" -> path.set("get", operation("read " + sub.name() + " of the specified " + kind,
                        "read" + base, "get", gvk, List.of(), null, responses(ok(ref(definition)))));
                case "update" -> path.set("put", operation("replace " + sub.name() + " of the specified " + kind,
                        "replace" + base, "put", gvk, writeParameters(), body(definition),
                        responses(ok(ref(definition)), created(ref(definition)))));
                case "patch" -> path.set("patch", patchOperation(
                        "partially update " + sub.name() + " of the specified " + kind, "patch" + base, gvk, definition));
                case "create" -> path.set("post", operation("create " + sub.name() + " of a " + kind,
                        "create" + base, "post", gvk, writeParameters(), body(definition),
                        responses(ok(ref(definition)), created(ref(definition)), accepted(ref(definition)))));
                default -> throw new IllegalArgumentException("no operation for verb " + verb + " of " + sub.name());
            }
        }
        paths.put(item + "/" + sub.name(), path);
    }

    private ObjectNode patchOperation(String description, String operationId, ObjectNode gvk, String definition) {
        List<ObjectNode> parameters = new ArrayList<>(writeParameters());
        parameters.add(param("force", "boolean",
                "Whether a server-side apply takes over fields other managers own; only for apply requests."));
        ObjectNode body = JSON.objectNode();
        ObjectNode content = body.putObject("content");
        for (String type : PATCH_TYPES) {
            content.putObject(type).set("schema", ref(ModelSchemas.PATCH));
        }
        body.put("required", true);
        return operation(description, operationId, "patch", gvk, parameters, body,
                responses(ok(ref(definition)), created(ref(definition))));
    }

    private ObjectNode operation(
            String description,
            String operationId,
            String action,
            ObjectNode gvk,
            List<ObjectNode> parameters,
            @Nullable ObjectNode requestBody,
            ObjectNode responses) {
        ObjectNode operation = JSON.objectNode();
        operation.put("description", description);
        operation.put("operationId", operationId);
        if (!parameters.isEmpty()) {
            ArrayNode array = operation.putArray("parameters");
            parameters.forEach(array::add);
        }
        if (requestBody != null) {
            operation.set("requestBody", requestBody);
        }
        operation.set("responses", responses);
        operation.putArray("tags").add(tag);
        operation.put("x-kubernetes-action", action);
        operation.set("x-kubernetes-group-version-kind", gvk);
        return operation;
    }

    private static ObjectNode pathItem(boolean item, boolean namespaced, String kind) {
        ObjectNode path = JSON.objectNode();
        ArrayNode parameters = path.putArray("parameters");
        if (item) {
            parameters.add(pathParam("name", "name of the " + kind));
        }
        if (namespaced) {
            parameters.add(pathParam("namespace", "object name and auth scope, such as for teams and projects"));
        }
        parameters.add(pretty());
        return path;
    }

    private static List<ObjectNode> writeParameters() {
        return List.of(dryRun(),
                param("fieldManager", "string", "Name of the actor making the change, recorded in managedFields."),
                param("fieldValidation", "string",
                        "How to treat unknown or duplicate fields in the body: Ignore, Warn (the default) or Strict."));
    }

    private static List<ObjectNode> deleteParameters() {
        return List.of(dryRun(),
                param("gracePeriodSeconds", "integer", "Seconds before the object is deleted; 0 deletes at once."),
                param("propagationPolicy", "string",
                        "How dependents are garbage collected: Orphan, Background or Foreground."));
    }

    private static List<ObjectNode> deleteCollectionParameters() {
        List<ObjectNode> parameters = new ArrayList<>(deleteParameters());
        parameters.addAll(selectionParameters());
        return parameters;
    }

    private static List<ObjectNode> listParameters() {
        List<ObjectNode> parameters = new ArrayList<>();
        parameters.add(param("allowWatchBookmarks", "boolean", "Ask a watch for BOOKMARK events."));
        parameters.addAll(selectionParameters());
        parameters.add(param("watch", "boolean", "Stream changes of the selected objects instead of listing them."));
        return parameters;
    }

    private static List<ObjectNode> selectionParameters() {
        return List.of(
                param("continue", "string", "The continue token of the previous page of a paginated list."),
                param("fieldSelector", "string", "Restricts the objects by their fields (metadata.name=x)."),
                param("labelSelector", "string", "Restricts the objects by their labels (app=web,tier!=db)."),
                param("limit", "integer", "The most objects to return; a continue token follows when there are more."),
                param("resourceVersion", "string", "The resource version to read at or watch from."),
                param("resourceVersionMatch", "string", "How resourceVersion applies to a list: Exact or NotOlderThan."),
                param("sendInitialEvents", "boolean", "Whether a watch starts with the current objects."),
                param("timeoutSeconds", "integer", "Ends the list or watch after this many seconds."));
    }

    private static List<ObjectNode> logParameters() {
        return List.of(
                param("container", "string", "The container to read; optional when the pod has one container."),
                param("follow", "boolean", "Keep streaming the log as it grows."),
                param("limitBytes", "integer", "The most bytes to return."),
                param("previous", "boolean", "Read the log of the previous, terminated instance of the container."),
                param("sinceSeconds", "integer", "Only lines newer than this many seconds."),
                param("tailLines", "integer", "Only this many lines from the end of the log."),
                param("timestamps", "boolean", "Prefix every line with its RFC 3339 timestamp."));
    }

    private static List<ObjectNode> connectParameters(String subresource) {
        return switch (subresource) {
            case "exec" -> List.of(
                    param("command", "string", "The command to run; repeat the parameter for each argument."),
                    param("container", "string", "The container to run the command in."),
                    param("stderr", "boolean", "Redirect the standard error stream."),
                    param("stdin", "boolean", "Redirect the standard input stream."),
                    param("stdout", "boolean", "Redirect the standard output stream."),
                    param("tty", "boolean", "Allocate a terminal."));
            case "attach" -> List.of(
                    param("container", "string", "The container to attach to."),
                    param("stderr", "boolean", "Redirect the standard error stream."),
                    param("stdin", "boolean", "Redirect the standard input stream."),
                    param("stdout", "boolean", "Redirect the standard output stream."),
                    param("tty", "boolean", "Allocate a terminal."));
            case "portforward" -> List.of(param("ports", "integer", "The ports to forward."));
            default -> List.of(param("path", "string", "The path of the request to proxy."));
        };
    }

    private static ObjectNode dryRun() {
        return param("dryRun", "string", "All: validate and admit the request without persisting it.");
    }

    private static ObjectNode pretty() {
        return param("pretty", "string", "If 'true', the output is pretty printed.");
    }

    private static ObjectNode param(String name, String type, String description) {
        ObjectNode param = JSON.objectNode();
        param.put("description", description);
        param.put("in", "query");
        param.put("name", name);
        ObjectNode schema = param.putObject("schema");
        schema.put("type", type);
        schema.put("uniqueItems", true);
        return param;
    }

    private static ObjectNode pathParam(String name, String description) {
        ObjectNode param = JSON.objectNode();
        param.put("description", description);
        param.put("in", "path");
        param.put("name", name);
        param.put("required", true);
        ObjectNode schema = param.putObject("schema");
        schema.put("type", "string");
        schema.put("uniqueItems", true);
        return param;
    }

    private static ObjectNode body(String definition) {
        ObjectNode body = JSON.objectNode();
        body.putObject("content").putObject("*/*").set("schema", ref(definition));
        body.put("required", true);
        return body;
    }

    /** One response of an operation: its status code and body. */
    private record Answer(String code, ObjectNode node) {}

    private static ObjectNode responses(Answer... answers) {
        ObjectNode responses = JSON.objectNode();
        for (Answer answer : answers) {
            responses.set(answer.code(), answer.node());
        }
        responses.putObject("401").put("description", "Unauthorized");
        return responses;
    }

    private static Answer ok(ObjectNode schema) {
        return answer("200", "OK", schema, List.of("application/json", "application/yaml"));
    }

    private static Answer okList(ObjectNode schema) {
        return answer("200", "OK", schema,
                List.of("application/json", "application/json;stream=watch", "application/yaml"));
    }

    private static Answer okContent(ObjectNode schema, List<String> mediaTypes) {
        return answer("200", "OK", schema, mediaTypes);
    }

    private static Answer created(ObjectNode schema) {
        return answer("201", "Created", schema, List.of("application/json", "application/yaml"));
    }

    private static Answer accepted(ObjectNode schema) {
        return answer("202", "Accepted", schema, List.of("application/json", "application/yaml"));
    }

    private static Answer answer(String code, String description, ObjectNode schema, List<String> mediaTypes) {
        ObjectNode answer = JSON.objectNode();
        ObjectNode content = answer.putObject("content");
        mediaTypes.forEach(type -> content.putObject(type).set("schema", schema));
        answer.put("description", description);
        return new Answer(code, answer);
    }

    private static ObjectNode ref(String definition) {
        return JSON.objectNode().put("$ref", ModelSchemas.REF_PREFIX + definition);
    }

    static ObjectNode gvk(String group, String version, String kind) {
        ObjectNode gvk = JSON.objectNode();
        gvk.put("group", group);
        gvk.put("kind", kind);
        gvk.put("version", version);
        return gvk;
    }

    /** {@code CoreV1}, {@code AppsV1}, {@code RbacAuthorizationV1}: how Kubernetes prefixes operation ids. */
    static String groupWords(String group) {
        if (group.isEmpty()) {
            return "Core";
        }
        StringBuilder words = new StringBuilder();
        for (String word : group.replace(".k8s.io", "").split("\\.")) {
            words.append(capitalize(word));
        }
        return words.toString();
    }

    private static String capitalize(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
