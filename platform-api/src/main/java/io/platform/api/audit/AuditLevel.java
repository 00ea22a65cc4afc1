package io.platform.api.audit;

/** How much of a request is recorded, upstream's levels in increasing order. */
public enum AuditLevel {
    /** Nothing. */
    None,
    /** Who, what, when and the response code, without bodies. */
    Metadata,
    /** Metadata and the request body. */
    Request,
    /** Metadata and the request and response bodies. */
    RequestResponse;

    boolean includesRequestBody() {
        return compareTo(Request) >= 0;
    }

    boolean includesResponseBody() {
        return this == RequestResponse;
    }

    static AuditLevel parse(String level) {
        for (AuditLevel value : values()) {
            if (value.name().equals(level)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown audit level '" + level + "'; one of None, Metadata, Request,"
                + " RequestResponse");
    }
}
