package io.platform.server;

/** The command would do harm as asked (exit code 2, like wrong usage); the message says what to change. */
final class RefusedException extends RuntimeException {

    RefusedException(String message) {
        super(message);
    }
}
