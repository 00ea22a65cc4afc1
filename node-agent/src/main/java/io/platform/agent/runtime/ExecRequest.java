package io.platform.agent.runtime;

import java.util.List;

/**
 * A command to run in a container (empty for attach), and which streams the client wants.
 *
 * @param tty a terminal: stdout and stderr merged, resizes honoured
 */
public record ExecRequest(List<String> command, boolean stdin, boolean stdout, boolean stderr, boolean tty) {}
