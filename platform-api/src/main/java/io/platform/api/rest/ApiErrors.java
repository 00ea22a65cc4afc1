package io.platform.api.rest;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Turns every failure into a Kubernetes {@code Status}: API exceptions as they are, Spring's
 * own (unknown path, method, media type) by their code, a store that does not answer as a 500 with
 * its message, anything unexpected as a logged 500.
 */
public final class ApiErrors implements WebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    static ApiException toApiException(Throwable error) {
        if (error instanceof ApiException api) {
            return api;
        }
        if (error instanceof ResponseStatusException status) {
            int code = status.getStatusCode().value();
            return switch (code) {
                case 404 -> ApiException.noSuchPath();
                case 405 -> ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
                case 415 -> ApiException.unsupportedMediaType(status.getReason() == null ? "unsupported media type" : status.getReason());
                default -> new ApiException(code, code < 500 ? "BadRequest" : "InternalError",
                        status.getReason() == null ? HttpStatus.valueOf(code).getReasonPhrase() : status.getReason(),
                        null, null, null, java.util.List.of());
            };
        }
        if (error instanceof DataAccessResourceFailureException unavailable) {
            // the store did not answer (etcd timed out, a database went away): an expected condition, as
            // kube-apiserver's 500 with etcd's own message, and one log line without a stack trace
            log.warn("store unavailable: {}", unavailable.getMessage());
            return ApiException.internal(unavailable.getMessage());
        }
        log.error("request failed unexpectedly", error);
        return ApiException.internal(error.toString());
    }

    static Mono<ServerResponse> render(Throwable error) {
        ApiException api = toApiException(error);
        return Responses.json(api.code(), api.toStatus());
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        ApiException api = toApiException(error);
        exchange.getResponse().setRawStatusCode(api.code());
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(Json.bytes(api.toStatus()))));
    }

    @Override
    public int getOrder() {
        // before Boot's error handler (-1), which would answer its own JSON shape
        return -2;
    }
}
