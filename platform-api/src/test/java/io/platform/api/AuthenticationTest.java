package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.pki.CertificateAuthority;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class AuthenticationTest extends ApiServerTestSupport {

    @Test
    void requestsWithoutClientCertificateAreUnauthorizedExceptHealthAndVersion() {
        var anonymous = client(null);
        ObjectNode status = exchange(anonymous.get().uri("/api/v1/namespaces"), 401);
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("reason").asString()).isEqualTo("Unauthorized");
        assertThat(status.path("code").asInt()).isEqualTo(401);

        ObjectNode version = exchange(anonymous.get().uri("/version"), 200);
        assertThat(version.path("major").asString()).isEqualTo("1");
        anonymous.get().uri("/livez").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("ok");
        anonymous.get().uri("/readyz").exchange().expectStatus().isOk();
    }

    @Test
    void certificateSubjectIsTheUser() {
        var node = client(CertificateAuthority.loadOrCreate(DATA_DIR.resolve("pki"))
                .issueClient("system:node:n1", List.of("system:nodes")));
        // what the Node authorizer lets a node do: list pods (it may not read namespaces)
        exchange(node.get().uri("/api/v1/namespaces/default/pods"), 200);
        exchange(node.get().uri("/api/v1/namespaces/default"), 403);
    }

    @Test
    void unknownPathsAndMethodsAreStatuses() {
        ObjectNode missing = get("/api/v1/widgets", 404);
        assertThat(missing.path("reason").asString()).isEqualTo("NotFound");
        ObjectNode notAllowed = exchange(client().post().uri("/api/v1/namespaces/default")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue("{}"), 405);
        assertThat(notAllowed.path("reason").asString()).isEqualTo("MethodNotAllowed");
    }
}
