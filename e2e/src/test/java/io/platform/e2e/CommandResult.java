package io.platform.e2e;

import java.util.List;

/** What a finished command printed and how it exited. */
record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    CommandResult requireSuccess() {
        if (exitCode != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + exitCode
                    + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
        }
        return this;
    }
}
