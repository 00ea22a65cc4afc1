package io.platform.api.auth.impersonation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Attributes;
import io.platform.api.authorization.Authorizer;
import io.platform.api.authorization.Decision;
import io.platform.api.authorization.Rules;
import io.platform.api.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The impersonation headers as kube-apiserver's WithImpersonation treats them, with an authorizer under test. */
class ImpersonationFilterTest {

    private static final AuthenticatedUser ALICE = new AuthenticatedUser("alice", List.of("dev", "system:authenticated"));

    private final List<Attributes> asked = new ArrayList<>();
    private final AtomicReference<ServerWebExchange> passedOn = new AtomicReference<>();

    @Test
    void withoutHeadersTheRequesterStays() {
        ServerWebExchange exchange = exchange(MockServerHttpRequest.get("/api/v1/pods"));
        run(allowing(a -> true), exchange);
        assertThat(AuthenticatedUser.of(passedOn.get())).contains(ALICE);
        assertThat(asked).isEmpty();
    }

    @Test
    void everyHeaderIsAuthorizedAndTheUserIsReplacedWithTheHeadersGone() {
        ServerWebExchange exchange = exchange(MockServerHttpRequest.get("/api/v1/pods")
                .header("Impersonate-User", "bob")
                .header("Impersonate-Group", "g1", "g2")
                .header("Impersonate-Uid", "u-1")
                .header("Impersonate-Extra-Scopes", "a", "b")
                .header("Impersonate-Extra-example.com%2Fteam", "x"));
        run(allowing(a -> true), exchange);

        AuthenticatedUser user = AuthenticatedUser.of(passedOn.get()).orElseThrow();
        assertThat(user).isEqualTo(new AuthenticatedUser("bob", "u-1", List.of("g1", "g2", "system:authenticated"),
                Map.of("scopes", List.of("a", "b"), "example.com/team", List.of("x"))));
        assertThat(passedOn.get().getRequest().getHeaders().headerNames())
                .noneMatch(name -> name.toLowerCase().startsWith("impersonate-"));
        assertThat(asked).allSatisfy(a -> {
            assertThat(a.user()).isEqualTo(ALICE);
            assertThat(a.verb()).isEqualTo("impersonate");
            assertThat(a.resourceRequest()).isTrue();
        });
        assertThat(asked).extracting(a -> a.apiGroup() + "|" + a.resource() + "|" + a.subresource() + "|" + a.name())
                .containsExactlyInAnyOrder("|users||bob", "|groups||g1", "|groups||g2",
                        "authentication.k8s.io|userextras|scopes|a", "authentication.k8s.io|userextras|scopes|b",
                        "authentication.k8s.io|userextras|example.com/team|x", "authentication.k8s.io|uids||u-1");
        assertThat(asked.getFirst().resource()).isEqualTo("users");
    }

    @Test
    void aServiceAccountIsAskedForInItsNamespaceAndGetsItsGroups() {
        ServerWebExchange exchange = exchange(MockServerHttpRequest.get("/api/v1/pods")
                .header("Impersonate-User", "system:serviceaccount:team:robot"));
        run(allowing(a -> true), exchange);
        assertThat(AuthenticatedUser.of(passedOn.get()).orElseThrow()).isEqualTo(new AuthenticatedUser(
                "system:serviceaccount:team:robot", List.of("system:serviceaccounts", "system:serviceaccounts:team",
                "system:authenticated")));
        assertThat(asked).singleElement().satisfies(a -> {
            assertThat(a.resource()).isEqualTo("serviceaccounts");
            assertThat(a.namespace()).isEqualTo("team");
            assertThat(a.name()).isEqualTo("robot");
        });
    }

    @Test
    void namedGroupsDecideTheAllGroups() {
        run(allowing(a -> true), exchange(MockServerHttpRequest.get("/api")
                .header("Impersonate-User", "system:anonymous")));
        assertThat(AuthenticatedUser.of(passedOn.get()).orElseThrow().groups())
                .containsExactly("system:unauthenticated");
        run(allowing(a -> true), exchange(MockServerHttpRequest.get("/api")
                .header("Impersonate-User", "carol").header("Impersonate-Group", "system:unauthenticated")));
        assertThat(AuthenticatedUser.of(passedOn.get()).orElseThrow().groups())
                .containsExactly("system:unauthenticated");
    }

    @Test
    void aRefusalIsForbiddenInUpstreamsWords() {
        ServerWebExchange exchange = exchange(MockServerHttpRequest.get("/api/v1/pods")
                .header("Impersonate-User", "bob").header("Impersonate-Group", "system:masters"));
        assertThatThrownBy(() -> run(allowing(a -> a.resource().equals("users")), exchange))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("groups \"system:masters\" is forbidden: User \"alice\""
                            + " cannot impersonate resource \"groups\" in API group \"\" at the cluster scope");
                });
        assertThat(passedOn.get()).isNull();

        ServerWebExchange serviceAccount = exchange(MockServerHttpRequest.get("/api/v1/pods")
                .header("Impersonate-User", "system:serviceaccount:team:robot"));
        assertThatThrownBy(() -> run(denying("no RBAC policy matched"), serviceAccount))
                .hasMessage("serviceaccounts \"robot\" is forbidden: User \"alice\" cannot impersonate resource"
                        + " \"serviceaccounts\" in API group \"\" in the namespace \"team\": no RBAC policy matched");

        ServerWebExchange extra = exchange(MockServerHttpRequest.get("/api/v1/pods")
                .header("Impersonate-User", "bob").header("Impersonate-Extra-Scopes", "view"));
        assertThatThrownBy(() -> run(allowing(a -> a.resource().equals("users")), extra))
                .hasMessage("userextras.authentication.k8s.io \"view\" is forbidden: User \"alice\" cannot impersonate"
                        + " resource \"userextras/scopes\" in API group \"authentication.k8s.io\" at the cluster scope");
    }

    @Test
    void groupsUidOrExtrasWithoutAUserAreRefused() {
        ServerWebExchange exchange = exchange(MockServerHttpRequest.get("/api/v1/pods")
                .header("Impersonate-Group", "system:masters"));
        assertThatThrownBy(() -> run(allowing(a -> true), exchange)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(500);
            assertThat(e.getMessage()).isEqualTo(
                    "Internal error occurred: requested [Group \"system:masters\"] without impersonating a user");
        });
        assertThat(asked).isEmpty();
    }

    private void run(Authorizer authorizer, ServerWebExchange exchange) {
        passedOn.set(null);
        new ImpersonationFilter(authorizer).filter(exchange, e -> {
            passedOn.set(e);
            return Mono.empty();
        }).block();
    }

    private static ServerWebExchange exchange(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        exchange.getAttributes().put(AuthenticatedUser.ATTRIBUTE, ALICE);
        return exchange;
    }

    private Authorizer allowing(Predicate<Attributes> allowed) {
        return authorizer(a -> allowed.test(a) ? Decision.allow("") : Decision.noOpinion(""));
    }

    private Authorizer denying(String reason) {
        return authorizer(a -> Decision.noOpinion(reason));
    }

    private Authorizer authorizer(Function<Attributes, Decision> decide) {
        return new Authorizer() {
            @Override
            public Decision decide(Attributes attributes) {
                asked.add(attributes);
                return decide.apply(attributes);
            }

            @Override
            public Rules rulesFor(AuthenticatedUser user, String namespace) {
                throw new UnsupportedOperationException("impersonation never lists rules");
            }
        };
    }
}
