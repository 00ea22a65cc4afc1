package io.platform.api.testing;

import java.util.List;

/** What a finished command printed and how it exited. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** Fails the test unless the command exited 0. */
    public CommandResult requireSuccess() {
        if (exitCode != 0) {
            throw new AssertionError(describe("exited " + exitCode));
        }
        return this;
    }

    /** Fails the test unless the command exited with {@code expected}. */
    public CommandResult requireExitCode(int expected) {
        if (exitCode != expected) {
            throw new AssertionError(describe("exited " + exitCode + ", expected " + expected));
        }
        return this;
    }

    private String describe(String what) {
        return String.join(" ", command) + " " + what + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
}
