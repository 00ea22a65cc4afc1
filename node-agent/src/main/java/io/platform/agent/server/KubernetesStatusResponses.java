package io.platform.agent.server;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** Errors of the agent's API as Kubernetes {@code Status} objects. */
final class KubernetesStatusResponses {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private KubernetesStatusResponses() {}

    static String json(HttpStatus code, String reason, String message) {
        Status status = new StatusBuilder()
                .withStatus("Failure")
                .withCode(code.value())
                .withReason(reason)
                .withMessage(message)
                .withNewMetadata()
                .endMetadata()
                .build();
        return SERIALIZATION.asJson(status);
    }

    static Mono<ServerResponse> response(HttpStatus code, String reason, String message) {
        return ServerResponse.status(code).contentType(MediaType.APPLICATION_JSON).bodyValue(json(code, reason, message));
    }

    static Mono<Void> write(ServerHttpResponse response, HttpStatus code, String reason, String message) {
        response.setStatusCode(code);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = json(code, reason, message).getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
