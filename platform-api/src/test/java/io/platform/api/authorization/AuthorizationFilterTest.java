package io.platform.api.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.json.Json;
import io.platform.api.rest.ApiErrors;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.HttpHandlerConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.WebFilter;
import tools.jackson.databind.node.ObjectNode;

/** The filter in front of every handler: allowed requests pass with their attributes, others get upstream's Status. */
class AuthorizationFilterTest {

    private static final AuthenticatedUser BOB = new AuthenticatedUser("bob", List.of("dev", "system:authenticated"));

    private final List<Attributes> asked = new ArrayList<>();
    private final AtomicReference<@Nullable Attributes> seenByHandler = new AtomicReference<>();

    @Test
    void alwaysAllowLetsEveryRequestThroughWithItsAttributes() {
        WebTestClient client = client(new AlwaysAllowAuthorizer(), BOB);
        client.delete().uri(URI.create("/apis/apps/v1/namespaces/ns/deployments?labelSelector=app%3Dweb"))
                .exchange().expectStatus().isOk();
        Attributes attributes = seenByHandler.get();
        assertThat(attributes).isNotNull();
        assertThat(attributes.verb()).isEqualTo("deletecollection");
        assertThat(attributes.apiGroup()).isEqualTo("apps");
        assertThat(attributes.labelSelector()).isEqualTo("app=web");
        assertThat(attributes.user()).isEqualTo(BOB);
        client.get().uri("/version").exchange().expectStatus().isOk();
    }

    @Test
    void aDeniedNamespacedRequestIsForbiddenInUpstreamsWords() {
        ObjectNode status = refused(denying(a -> Decision.deny("no RBAC policy matched")), BOB,
                "/api/v1/namespaces/default/pods", 403);
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("reason").asString()).isEqualTo("Forbidden");
        assertThat(status.path("message").asString()).isEqualTo("pods is forbidden: User \"bob\" cannot list resource"
                + " \"pods\" in API group \"\" in the namespace \"default\": no RBAC policy matched");
        assertThat(status.path("details").path("kind").asString()).isEqualTo("pods");
        assertThat(status.path("details").has("name")).isFalse();
        assertThat(asked).singleElement().satisfies(a -> assertThat(a.user()).isEqualTo(BOB));
    }

    @Test
    void aNamedSubresourceOfAGroupNamesTheObjectAndTheGroup() {
        ObjectNode status = refused(denying(a -> Decision.noOpinion("")), BOB,
                "/apis/apps/v1/namespaces/ns/deployments/web/scale", 403);
        assertThat(status.path("message").asString()).isEqualTo("deployments.apps \"web\" is forbidden: User \"bob\""
                + " cannot get resource \"deployments/scale\" in API group \"apps\" in the namespace \"ns\"");
        assertThat(status.path("details").path("name").asString()).isEqualTo("web");
        assertThat(status.path("details").path("group").asString()).isEqualTo("apps");
        assertThat(status.path("details").path("kind").asString()).isEqualTo("deployments");
    }

    @Test
    void clusterScopedAndNonResourceRequestsAreWordedAsUpstream() {
        Authorizer denyAll = denying(a -> Decision.deny(""));
        assertThat(refused(denyAll, BOB, "/api/v1/nodes?watch=true", 403).path("message").asString())
                .isEqualTo("nodes is forbidden: User \"bob\" cannot watch resource \"nodes\" in API group \"\" at the"
                        + " cluster scope");
        assertThat(refused(denyAll, BOB, "/openapi/v3", 403).path("message").asString())
                .isEqualTo("forbidden: User \"bob\" cannot get path \"/openapi/v3\"");
    }

    @Test
    void nothingInTheMessageLooksLikeHtml() {
        ObjectNode status = refused(denying(a -> Decision.deny("")), new AuthenticatedUser("<b>", List.of()),
                "/api/v1/namespaces/ns/configmaps/a&b", 403);
        assertThat(status.path("message").asString())
                .isEqualTo("configmaps \"a&b\" is forbidden: User \"&lt;b&gt;\" cannot get resource \"configmaps\" in"
                        + " API group \"\" in the namespace \"ns\"");
    }

    @Test
    void aFailedDecisionIsAServerError() {
        ObjectNode status = refused(denying(a -> Decision.noOpinion("").withEvaluationError("role cache not synced")),
                BOB, "/api/v1/pods", 500);
        assertThat(status.path("reason").asString()).isEqualTo("InternalError");
        assertThat(status.path("message").asString()).contains("role cache not synced");
    }

    @Test
    void requestsWithoutAUserAreAskedAboutAsAnonymous() {
        refused(denying(a -> Decision.deny("")), null, "/livez", 403);
        assertThat(asked).singleElement().satisfies(a -> {
            assertThat(a.user().name()).isEqualTo("system:anonymous");
            assertThat(a.user().groups()).containsExactly("system:unauthenticated");
            assertThat(a.resourceRequest()).isFalse();
        });
    }

    @Test
    void aNodesReadTheGraphHasNotCaughtUpWithIsAskedAgain() {
        AuthenticatedUser node = new AuthenticatedUser("system:node:n1", List.of("system:nodes"));
        // allowed on the third question, as when the node graph sees the pod a moment after the node did
        Authorizer catchingUp = denying(a -> asked.size() >= 3 ? Decision.allow("") : Decision.noOpinion("not yet"));
        client(catchingUp, node, Duration.ofSeconds(2)).get().uri("/api/v1/namespaces/ns/secrets/s").exchange()
                .expectStatus().isOk();
        assertThat(asked).hasSize(3);

        asked.clear();
        seenByHandler.set(null);
        ObjectNode status = refusedWith(client(denying(a -> Decision.noOpinion("no relationship")), node,
                Duration.ofMillis(200)), "/api/v1/namespaces/ns/secrets/s", 403);
        assertThat(status.path("message").asString()).endsWith(": no relationship");
        assertThat(asked).hasSize(5);

        // others, and a node's other requests, are asked once
        asked.clear();
        refusedWith(client(denying(a -> Decision.noOpinion("")), node, Duration.ofSeconds(2)),
                "/api/v1/namespaces/ns/secrets", 403);
        refusedWith(client(denying(a -> Decision.noOpinion("")), BOB, Duration.ofSeconds(2)),
                "/api/v1/namespaces/ns/secrets/s", 403);
        assertThat(asked).hasSize(2);
    }

    private ObjectNode refused(Authorizer authorizer, @Nullable AuthenticatedUser user, String uri, int code) {
        return refusedWith(client(authorizer, user), uri, code);
    }

    private ObjectNode refusedWith(WebTestClient client, String uri, int code) {
        byte[] body = client.get().uri(uri).exchange().expectStatus().isEqualTo(code)
                .expectBody().returnResult().getResponseBody();
        assertThat(seenByHandler.get()).isNull();
        return Json.parseObject(body);
    }

    private Authorizer denying(Function<Attributes, Decision> decide) {
        return new Authorizer() {
            @Override
            public Decision decide(Attributes attributes) {
                asked.add(attributes);
                return decide.apply(attributes);
            }

            @Override
            public Rules rulesFor(AuthenticatedUser user, String namespace) {
                return new Rules(List.of(), List.of(), false, "");
            }
        };
    }

    private WebTestClient client(Authorizer authorizer, @Nullable AuthenticatedUser user) {
        return client(authorizer, user, Duration.ZERO);
    }

    private WebTestClient client(Authorizer authorizer, @Nullable AuthenticatedUser user, Duration nodeGraphWait) {
        WebFilter authentication = (exchange, chain) -> {
            if (user != null) {
                exchange.getAttributes().put(AuthenticatedUser.ATTRIBUTE, user);
            }
            return chain.filter(exchange);
        };
        WebHandler handler = exchange -> {
            seenByHandler.set(exchange.getAttribute(AuthorizationFilter.ATTRIBUTES));
            return exchange.getResponse().setComplete();
        };
        // the filters and error rendering as the server chains them
        return WebTestClient.bindToServer(new HttpHandlerConnector(WebHttpHandlerBuilder.webHandler(handler)
                        .filter(authentication, new AuthorizationFilter(authorizer, nodeGraphWait))
                        .exceptionHandler(new ApiErrors())
                        .build()))
                .build();
    }
}
