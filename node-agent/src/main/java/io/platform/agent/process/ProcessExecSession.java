package io.platform.agent.process;

import io.platform.agent.runtime.ExecSession;
import java.io.InputStream;
import java.io.OutputStream;

/** An exec'd host process (entered into the container's namespaces when isolated) over its pipes; no terminal. */
final class ProcessExecSession implements ExecSession {

    private final Process process;

    ProcessExecSession(Process process) {
        this.process = process;
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return process.getErrorStream();
    }

    /** Without a terminal there is no size to set. */
    @Override
    public void resize(int width, int height) {}

    @Override
    public int awaitExit() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
