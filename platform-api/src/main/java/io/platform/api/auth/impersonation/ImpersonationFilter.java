package io.platform.api.auth.impersonation;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.auth.serviceaccount.ServiceAccountNames;
import io.platform.api.authorization.Attributes;
import io.platform.api.authorization.Authorizer;
import io.platform.api.authorization.Decision;
import io.platform.common.golang.GoSyntax;
import io.platform.api.errors.ApiException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Lets an authenticated user act as another, as kube-apiserver's WithImpersonation filter: {@code Impersonate-User}
 * (a ServiceAccount's {@code system:serviceaccount:NS:NAME} or any user), {@code Impersonate-Group} (repeatable),
 * {@code Impersonate-Uid} and {@code Impersonate-Extra-<key>}, each of which the requester must be allowed to
 * {@code impersonate} by the {@link Authorizer} (users, groups and serviceaccounts in the core group; uids and
 * userextras/&lt;key&gt; in {@code authentication.k8s.io}). A refusal is 403 in upstream's wording; groups, uid or
 * extras without a user are refused as upstream does. The impersonated user is in {@code system:authenticated}
 * unless the groups say otherwise, replaces the requester for everything after this filter, and the headers are
 * removed. Runs between authentication and authorization.
 */
public final class ImpersonationFilter implements WebFilter, Ordered {

    public static final String USER_HEADER = "Impersonate-User";
    public static final String GROUP_HEADER = "Impersonate-Group";
    public static final String UID_HEADER = "Impersonate-Uid";
    public static final String EXTRA_HEADER_PREFIX = "Impersonate-Extra-";

    private static final Logger log = LoggerFactory.getLogger(ImpersonationFilter.class);
    private static final String AUTHENTICATION_GROUP = "authentication.k8s.io";

    /** One thing asked for, as upstream's ObjectReference per header value, with the attributes it is checked as. */
    private record Request(String description, String apiGroup, String apiVersion, String resource,
            String subresource, String namespace, String name) {}

    private final Authorizer authorizer;

    public ImpersonationFilter(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        List<Request> requests = requests(headers);
        if (requests.isEmpty()) {
            return chain.filter(exchange);
        }
        boolean hasUser = requests.getFirst().resource().equals("users")
                || requests.getFirst().resource().equals("serviceaccounts");
        if (!hasUser) {
            return Mono.error(ApiException.internal("requested " + requests.stream().map(Request::description).toList()
                    + " without impersonating a user"));
        }
        AuthenticatedUser requester = AuthenticatedUser.of(exchange).orElseGet(AuthenticatedUser::anonymous);
        boolean groupsSpecified = !headers.getOrEmpty(GROUP_HEADER).isEmpty();
        String username = "";
        String uid = "";
        List<String> groups = new ArrayList<>();
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (Request request : requests) {
            Attributes attributes = Attributes.resource(requester, "impersonate", request.apiGroup(),
                    request.apiVersion(), request.resource(), request.subresource(), request.namespace(),
                    request.name());
            Decision decision = authorizer.decide(attributes);
            if (!decision.allowed()) {
                log.debug("impersonation refused: {} asked for {}: {}", requester.name(), request.description(),
                        decision.reason());
                return Mono.error(forbidden(attributes, decision.reason()));
            }
            switch (request.resource()) {
                case "serviceaccounts" -> {
                    username = ServiceAccountNames.username(request.namespace(), request.name());
                    if (!groupsSpecified) {
                        // a ServiceAccount's groups follow from its name
                        groups.addAll(ServiceAccountNames.groups(request.namespace()));
                    }
                }
                case "users" -> username = request.name();
                case "groups" -> groups.add(request.name());
                case "userextras" -> extra.computeIfAbsent(request.subresource(), key -> new ArrayList<>())
                        .add(request.name());
                case "uids" -> uid = request.name();
                default -> throw new IllegalStateException("unknown impersonation request " + request.description());
            }
        }
        addAllGroup(username, groups);
        AuthenticatedUser impersonated = new AuthenticatedUser(username, uid, groups, extra);
        log.debug("{} is impersonating {}", requester.name(), impersonated.name());
        ServerWebExchange stripped = exchange.mutate()
                .request(request -> request.headers(ImpersonationFilter::removeImpersonationHeaders)).build();
        stripped.getAttributes().put(AuthenticatedUser.ATTRIBUTE, impersonated);
        return chain.filter(stripped);
    }

    /**
     * As upstream: {@code system:authenticated} for any user but the anonymous one unless the groups name it or
     * {@code system:unauthenticated}; {@code system:unauthenticated} for the anonymous user unless named.
     */
    private static void addAllGroup(String username, List<String> groups) {
        if (!username.equals(AuthenticatedUser.ANONYMOUS)) {
            if (!groups.contains(AuthenticatedUser.ALL_AUTHENTICATED)
                    && !groups.contains(AuthenticatedUser.ALL_UNAUTHENTICATED)) {
                groups.add(AuthenticatedUser.ALL_AUTHENTICATED);
            }
        } else if (!groups.contains(AuthenticatedUser.ALL_UNAUTHENTICATED)) {
            groups.add(AuthenticatedUser.ALL_UNAUTHENTICATED);
        }
    }

    /** What the headers ask for, the user first, as upstream's buildImpersonationRequests. */
    static List<Request> requests(HttpHeaders headers) {
        List<Request> requests = new ArrayList<>();
        String user = Optional.ofNullable(headers.getFirst(USER_HEADER)).orElse("");
        if (!user.isEmpty()) {
            Optional<List<String>> serviceAccount = ServiceAccountNames.split(user);
            if (serviceAccount.isPresent()) {
                String namespace = serviceAccount.get().get(0);
                String name = serviceAccount.get().get(1);
                requests.add(new Request("ServiceAccount " + namespace + "/" + name, "", "", "serviceaccounts", "",
                        namespace, name));
            } else {
                requests.add(new Request("User " + GoSyntax.quote(user), "", "", "users", "", "", user));
            }
        }
        for (String group : headers.getOrEmpty(GROUP_HEADER)) {
            requests.add(new Request("Group " + GoSyntax.quote(group), "", "", "groups", "", "", group));
        }
        // names only: building every header's value list (headerSet) for each request cost more than the rest
        for (String headerName : headers.headerNames()) {
            if (!headerName.regionMatches(true, 0, EXTRA_HEADER_PREFIX, 0, EXTRA_HEADER_PREFIX.length())) {
                continue;
            }
            String key = extraKey(headerName.substring(EXTRA_HEADER_PREFIX.length()));
            for (String value : headers.getOrEmpty(headerName)) {
                requests.add(new Request("UserExtra " + key + "=" + GoSyntax.quote(value), AUTHENTICATION_GROUP, "v1",
                        "userextras", key, "", value));
            }
        }
        String uid = Optional.ofNullable(headers.getFirst(UID_HEADER)).orElse("");
        if (!uid.isEmpty()) {
            requests.add(new Request("UID " + GoSyntax.quote(uid), AUTHENTICATION_GROUP, "v1", "uids", "", "", uid));
        }
        return requests;
    }

    /** The extra key of a header name: lower case, then %-decoded, kept as it is when that fails, as upstream. */
    private static String extraKey(String encoded) {
        String lower = encoded.toLowerCase(Locale.ROOT);
        try {
            return URLDecoder.decode(lower.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return lower;
        }
    }

    private static void removeImpersonationHeaders(HttpHeaders headers) {
        List<String> names = headers.headerNames().stream()
                .filter(name -> name.equalsIgnoreCase(USER_HEADER) || name.equalsIgnoreCase(GROUP_HEADER)
                        || name.equalsIgnoreCase(UID_HEADER)
                        || name.regionMatches(true, 0, EXTRA_HEADER_PREFIX, 0, EXTRA_HEADER_PREFIX.length()))
                .toList();
        names.forEach(headers::remove);
    }

    /**
     * The 403 of a refused impersonation, as kube-apiserver's responsewriters.Forbidden words it, e.g.
     * {@code users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the
     * cluster scope}, the authorizer's reason appended after a colon.
     */
    static ApiException forbidden(Attributes attributes, String reason) {
        String resource = attributes.subresource().isEmpty() ? attributes.resource()
                : attributes.resource() + "/" + attributes.subresource();
        String message = "User " + GoSyntax.quote(attributes.user().name()) + " cannot " + attributes.verb()
                + " resource " + GoSyntax.quote(resource) + " in API group " + GoSyntax.quote(attributes.apiGroup())
                + (attributes.namespace().isEmpty() ? " at the cluster scope"
                        : " in the namespace " + GoSyntax.quote(attributes.namespace()));
        message = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        if (!reason.isEmpty()) {
            message = message + ": " + reason;
        }
        String qualified = attributes.apiGroup().isEmpty() ? attributes.resource()
                : attributes.resource() + "." + attributes.apiGroup();
        return new ApiException(403, "Forbidden", qualified + " " + GoSyntax.quote(attributes.name())
                + " is forbidden: " + message, attributes.name(), emptyToNull(attributes.apiGroup()),
                attributes.resource(), List.of());
    }

    private static @Nullable String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    @Override
    public int getOrder() {
        // after authentication (HIGHEST_PRECEDENCE + 10), before authorization (+ 20)
        return Ordered.HIGHEST_PRECEDENCE + 15;
    }
}
