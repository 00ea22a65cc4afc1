package io.platform.api.authorization;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.errors.ApiException;
import io.platform.api.selection.LabelSelector;
import io.platform.api.selection.SelectorException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.util.UriUtils;

/**
 * Derives a request's {@link Attributes} from its method, path and query, exactly as kube-apiserver's
 * RequestInfoFactory does: {@code /api/v1/...} and {@code /apis/{group}/{version}/...} are resource requests (the
 * verb from the method; a GET without a name is {@code list}, or {@code watch} with {@code watch} set to anything
 * but false/0; a DELETE without a name is {@code deletecollection}; a {@code metadata.name=} field selector names
 * the object of a list or watch), everything else is a non-resource request with the lower-case method as verb.
 */
public final class RequestAttributes {

    private static final Set<String> API_PREFIXES = Set.of("api", "apis");
    private static final Set<String> GROUPLESS_API_PREFIXES = Set.of("api");
    /** Verbs given as a path segment before the resource (deprecated upstream, still understood). */
    private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
    private static final Set<String> SPECIAL_VERBS_WITHOUT_SUBRESOURCES = Set.of("proxy");
    /** What may follow {@code namespaces/{name}} and still address the namespace itself. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");
    private static final Set<String> VERBS_WITH_SELECTORS = Set.of("list", "watch", "deletecollection");
    private static final Set<String> INTEGER_LIST_OPTIONS = Set.of("limit", "timeoutSeconds");

    private RequestAttributes() {}

    /**
     * @param rawPath the request path as sent (percent-encoded); it is decoded as Go's {@code URL.Path} is
     * @param query the decoded query parameters
     * @throws ApiException 500 for a path that names a special verb and nothing after it, as upstream
     */
    public static Attributes of(AuthenticatedUser user, String method, String rawPath, Map<String, List<String>> query) {
        String path = UriUtils.decode(rawPath, StandardCharsets.UTF_8);
        Attributes nonResource = Attributes.nonResource(user, method.toLowerCase(Locale.ROOT), path);
        List<String> parts = splitPath(path);
        if (parts.size() < 3 || !API_PREFIXES.contains(parts.getFirst())) {
            return nonResource;
        }
        String prefix = parts.getFirst();
        parts = parts.subList(1, parts.size());
        String group = "";
        if (!GROUPLESS_API_PREFIXES.contains(prefix)) {
            if (parts.size() < 3) {
                return nonResource;
            }
            group = parts.getFirst();
            parts = parts.subList(1, parts.size());
        }
        String version = parts.getFirst();
        parts = parts.subList(1, parts.size());

        String verb;
        boolean verbInPath = SPECIAL_VERBS.contains(parts.getFirst());
        if (verbInPath) {
            if (parts.size() < 2) {
                throw ApiException.internal("failed to create RequestInfo: unable to determine kind and namespace from url, "
                        + rawPath);
            }
            verb = parts.getFirst();
            parts = parts.subList(1, parts.size());
        } else {
            verb = switch (method.toUpperCase(Locale.ROOT)) {
                case "POST" -> "create";
                case "GET", "HEAD" -> "get";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> "";
            };
        }

        String namespace = "";
        if (parts.getFirst().equals("namespaces")) {
            if (parts.size() > 1) {
                namespace = parts.get(1);
                if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
                    parts = parts.subList(2, parts.size());
                }
            }
        }

        String resource = parts.getFirst();
        String name = parts.size() >= 2 ? parts.get(1) : "";
        String subresource = parts.size() >= 3 && !SPECIAL_VERBS_WITHOUT_SUBRESOURCES.contains(verb) ? parts.get(2) : "";

        if (name.isEmpty() && verb.equals("get")) {
            Optional<String> exactName = Optional.empty();
            if (listOptionsDecode(query)) {
                exactName = exactName(first(query, "fieldSelector")).filter(RequestAttributes::isValidPathSegmentName);
            }
            verb = watch(query) ? "watch" : "list";
            name = exactName.orElse("");
        }
        if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        Attributes attributes = Attributes.resource(user, verb, group, version, resource, subresource, namespace, name);
        if (!verbInPath && VERBS_WITH_SELECTORS.contains(verb)) {
            attributes = attributes.withSelectors(first(query, "fieldSelector"), first(query, "labelSelector"));
        }
        return attributes;
    }

    /** As Go's strings.Split after trimming slashes: empty segments in the middle stay. */
    private static List<String> splitPath(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return start == end ? List.of() : Arrays.asList(path.substring(start, end).split("/", -1));
    }

    /** A list's {@code watch} parameter as Kubernetes converts query booleans: anything but "false" and "0" is true. */
    private static boolean watch(Map<String, List<String>> query) {
        List<String> values = query.getOrDefault("watch", List.of());
        if (values.isEmpty()) {
            return false;
        }
        // a parameter without "=" arrives as null; Go reads it as ""
        String value = values.getFirst() == null ? "" : values.getFirst();
        return !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    /**
     * Whether upstream's ListOptions decoding of the query succeeds; when it does not, the field selector's name is
     * ignored (the watch flag is still read).
     */
    private static boolean listOptionsDecode(Map<String, List<String>> query) {
        for (String option : INTEGER_LIST_OPTIONS) {
            String value = first(query, option);
            if (!value.isEmpty()) {
                try {
                    Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        try {
            LabelSelector.parse(first(query, "labelSelector"));
        } catch (SelectorException e) {
            return false;
        }
        return FieldTerms.parse(first(query, "fieldSelector")).isPresent();
    }

    /** The value of a {@code metadata.name=X} (or {@code ==}) term, when the first term on that field is one. */
    private static Optional<String> exactName(String fieldSelector) {
        return FieldTerms.parse(fieldSelector).flatMap(terms -> terms.stream()
                .filter(term -> term.field().equals("metadata.name"))
                .findFirst()
                .filter(term -> !term.operator().equals("!="))
                .map(FieldTerms.Term::value));
    }

    /** As upstream's path segment name validation: not "." or "..", and no "/" or "%". */
    private static boolean isValidPathSegmentName(String name) {
        return !name.equals(".") && !name.equals("..") && !name.contains("/") && !name.contains("%");
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.getOrDefault(name, List.of());
        return values.isEmpty() || values.getFirst() == null ? "" : values.getFirst();
    }
}
