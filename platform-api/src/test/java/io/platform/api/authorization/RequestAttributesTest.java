package io.platform.api.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.errors.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The attributes of requests, case by case as kube-apiserver's RequestInfoFactory derives them. */
class RequestAttributesTest {

    private static final AuthenticatedUser ALICE = new AuthenticatedUser("alice", List.of("dev"));

    /** Columns: method, path, query, then verb, group, version, resource, subresource, namespace, name. */
    @ParameterizedTest(name = "{0} {1}?{2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "GET|/api/v1/pods|-|list||v1|pods|||",
            "GET|/api/v1/namespaces/ns/pods|-|list||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods/p|-|get||v1|pods||ns|p",
            "HEAD|/api/v1/namespaces/ns/pods/p|-|get||v1|pods||ns|p",
            "GET|/api/v1/namespaces/ns/pods|watch=true|watch||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods|watch=1|watch||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods|watch=|watch||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods|watch=yes|watch||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods|watch=false|list||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods|watch=FALSE|list||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods|watch=0|list||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods|fieldSelector=metadata.name=p|list||v1|pods||ns|p",
            "GET|/api/v1/namespaces/ns/pods|fieldSelector=metadata.name==p&watch=true|watch||v1|pods||ns|p",
            "GET|/api/v1/namespaces/ns/pods|fieldSelector=metadata.name!=p|list||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods|fieldSelector=spec.nodeName=n,metadata.name=p|list||v1|pods||ns|p",
            "GET|/api/v1/namespaces/ns/pods|fieldSelector=metadata.name=..|list||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods|fieldSelector=metadata.name=p&limit=x|list||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods|fieldSelector=metadata.name=p&limit=x&watch=true|watch||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods|fieldSelector=metadata.name=p&labelSelector=a%3Db%3Dc|list||v1|pods||ns|",
            "GET|/api/v1/namespaces/ns/pods|fieldSelector=metadata.name%3Dp%5C,q|list||v1|pods||ns|p,q",
            "POST|/api/v1/namespaces/ns/pods|-|create||v1|pods||ns|",
            "PUT|/api/v1/namespaces/ns/pods/p|-|update||v1|pods||ns|p",
            "PATCH|/apis/apps/v1/namespaces/ns/deployments/d|-|patch|apps|v1|deployments||ns|d",
            "DELETE|/apis/apps/v1/namespaces/ns/deployments/d|-|delete|apps|v1|deployments||ns|d",
            "DELETE|/apis/apps/v1/namespaces/ns/deployments|-|deletecollection|apps|v1|deployments||ns|",
            "GET|/apis/apps/v1/namespaces/ns/deployments/d/scale|-|get|apps|v1|deployments|scale|ns|d",
            "PUT|/apis/apps/v1/namespaces/ns/deployments/d/status|-|update|apps|v1|deployments|status|ns|d",
            "POST|/api/v1/namespaces/ns/pods/p/eviction|-|create||v1|pods|eviction|ns|p",
            "GET|/api/v1/namespaces/ns/pods/p/log|follow=true|get||v1|pods|log|ns|p",
            "GET|/api/v1/namespaces|-|list||v1|namespaces|||",
            "GET|/api/v1/namespaces/ns|-|get||v1|namespaces||ns|ns",
            "PUT|/api/v1/namespaces/ns/finalize|-|update||v1|namespaces|finalize|ns|ns",
            "PATCH|/api/v1/namespaces/ns/status|-|patch||v1|namespaces|status|ns|ns",
            "DELETE|/api/v1/namespaces/ns|-|delete||v1|namespaces||ns|ns",
            "GET|/api/v1/nodes/n|-|get||v1|nodes|||n",
            "GET|/api/v1/watch/namespaces/ns/pods|-|watch||v1|pods||ns|",
            "GET|/api/v1/watch/namespaces/ns/pods/p|-|watch||v1|pods||ns|p",
            "GET|/api/v1/proxy/namespaces/ns/pods/p/some/path|-|proxy||v1|pods||ns|p",
            "POST|/apis/authorization.k8s.io/v1/selfsubjectaccessreviews|-|create|authorization.k8s.io|v1"
                    + "|selfsubjectaccessreviews|||",
            "POST|/apis/authorization.k8s.io/v1/namespaces/ns/localsubjectaccessreviews|-|create|authorization.k8s.io"
                    + "|v1|localsubjectaccessreviews||ns|",
            "OPTIONS|/api/v1/pods|-|||v1|pods|||"})
    void resourceRequests(String method, String path, String query, String verb, String group, String version,
            String resource, String subresource, String namespace, String name) {
        Attributes attributes = RequestAttributes.of(ALICE, method, path, query(query));
        assertThat(attributes.resourceRequest()).isTrue();
        assertThat(List.of(attributes.verb(), attributes.apiGroup(), attributes.apiVersion(), attributes.resource(),
                attributes.subresource(), attributes.namespace(), attributes.name()))
                .containsExactly(blank(verb), blank(group), version, resource, blank(subresource), blank(namespace),
                        blank(name));
        assertThat(attributes.user()).isEqualTo(ALICE);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "GET|/version|get",
            "GET|/api|get",
            "GET|/api/v1|get",
            "GET|/apis|get",
            "GET|/apis/apps|get",
            "GET|/apis/apps/v1|get",
            "GET|/openapi/v3/apis/apps/v1|get",
            "GET|/livez|get",
            "POST|/healthz|post",
            "GET|/|get"})
    void nonResourceRequests(String method, String path, String verb) {
        Attributes attributes = RequestAttributes.of(ALICE, method, path, Map.of());
        assertThat(attributes.resourceRequest()).isFalse();
        assertThat(attributes.verb()).isEqualTo(verb);
        assertThat(attributes.path()).isEqualTo(path);
        assertThat(attributes.resource()).isEmpty();
    }

    @Test
    void selectorsAreKeptForCollectionVerbsOnly() {
        Map<String, List<String>> query = query("labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dn");
        Attributes list = RequestAttributes.of(ALICE, "GET", "/api/v1/pods", query);
        assertThat(list.labelSelector()).isEqualTo("app=web");
        assertThat(list.fieldSelector()).isEqualTo("spec.nodeName=n");
        Attributes deleteCollection = RequestAttributes.of(ALICE, "DELETE", "/api/v1/namespaces/ns/pods", query);
        assertThat(deleteCollection.labelSelector()).isEqualTo("app=web");
        Attributes get = RequestAttributes.of(ALICE, "GET", "/api/v1/namespaces/ns/pods/p", query);
        assertThat(get.labelSelector()).isEmpty();
        assertThat(get.fieldSelector()).isEmpty();
        // as upstream: a verb given in the path does not carry selectors
        Attributes pathWatch = RequestAttributes.of(ALICE, "GET", "/api/v1/watch/pods", query);
        assertThat(pathWatch.verb()).isEqualTo("watch");
        assertThat(pathWatch.labelSelector()).isEmpty();
    }

    @Test
    void aWatchParameterWithoutValueIsTrue() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("watch", java.util.Arrays.asList((String) null));
        assertThat(RequestAttributes.of(ALICE, "GET", "/api/v1/pods", query).verb()).isEqualTo("watch");
    }

    @Test
    void pathsAreDecodedAsGoDoes() {
        Attributes attributes = RequestAttributes.of(ALICE, "GET", "/api/v1/namespaces/ns/configmaps/a%3Ab", Map.of());
        assertThat(attributes.name()).isEqualTo("a:b");
        assertThat(RequestAttributes.of(ALICE, "GET", "/version%2Fx", Map.of()).path()).isEqualTo("/version/x");
    }

    @Test
    void aSpecialVerbWithNothingAfterItIsAServerError() {
        assertThatThrownBy(() -> RequestAttributes.of(ALICE, "GET", "/api/v1/watch", Map.of()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(500))
                .hasMessageContaining("unable to determine kind and namespace from url");
    }

    private static String blank(String value) {
        return value == null ? "" : value;
    }

    /** A query string decoded into parameters, as the server hands them over. */
    private static Map<String, List<String>> query(String query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                    java.nio.charset.StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
        }
        return parameters;
    }
}
