package io.platform.server;

/** The command line asks for something the launcher does not offer (exit code 2). */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
