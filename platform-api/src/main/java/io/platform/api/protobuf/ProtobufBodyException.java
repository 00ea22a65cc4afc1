package io.platform.api.protobuf;

/** A protobuf request body that cannot be decoded; the message says what is wrong. */
public class ProtobufBodyException extends RuntimeException {

    public ProtobufBodyException(String message) {
        super(message);
    }

    public ProtobufBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
