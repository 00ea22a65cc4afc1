package io.platform.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** Every failure becomes a Status with the right code and a message a person can act on. */
class ApiErrorsTest {

    @Test
    void aStoreThatDoesNotAnswerIsAnInternalErrorWithItsMessage() {
        ApiException api = ApiErrors.toApiException(
                new DataAccessResourceFailureException("etcd [http://127.0.0.1:2379]: etcdserver: request timed out"));

        assertThat(api.code()).isEqualTo(500);
        assertThat(api.toStatus().path("reason").asString()).isEqualTo("InternalError");
        assertThat(api.toStatus().path("message").asString())
                .isEqualTo("Internal error occurred: etcd [http://127.0.0.1:2379]: etcdserver: request timed out");
    }

    @Test
    void springStatusesKeepTheirCode() {
        assertThat(ApiErrors.toApiException(new ResponseStatusException(HttpStatus.NOT_FOUND)).code()).isEqualTo(404);
        assertThat(ApiErrors.toApiException(new ResponseStatusException(HttpStatus.METHOD_NOT_ALLOWED)).code()).isEqualTo(405);
    }
}
