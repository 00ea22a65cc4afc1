package io.platform.agent.runtime;

import java.io.InputStream;
import java.io.OutputStream;

/** A running exec or attach: its streams, its terminal size and, for exec, its exit code. */
public interface ExecSession extends AutoCloseable {

    /** The process's stdin; closing it sends end of file. */
    OutputStream stdin();

    InputStream stdout();

    /** Empty with a terminal, whose stderr goes to {@link #stdout()}. */
    InputStream stderr();

    /** Sets the terminal size (columns, rows); ignored without a terminal. */
    void resize(int width, int height);

    /** Waits for the process to end; its exit code (attach: the container's, when it ended). */
    int awaitExit() throws InterruptedException;

    /** Ends the session; an exec's process is killed if it still runs. */
    @Override
    void close();
}
