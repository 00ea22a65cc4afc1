package io.platform.api.audit;

/**
 * The stages an event is written at, as upstream. {@code RequestReceived} is accepted in policies but never
 * written (the request is recorded once its user is known); {@code ResponseStarted} only for long-running
 * requests (watch, follow, proxy), when the response headers go out; {@code Panic} when the request failed
 * without an answer.
 */
public enum AuditStage {
    RequestReceived,
    ResponseStarted,
    ResponseComplete,
    Panic;

    static AuditStage parse(String stage) {
        for (AuditStage value : values()) {
            if (value.name().equals(stage)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown audit stage '" + stage
                + "'; one of RequestReceived, ResponseStarted, ResponseComplete, Panic");
    }
}
