package io.platform.agent.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Starts containers through {@code supervise.pl}, a small Perl supervisor in a session of its own: it writes the
 * container's output to its CRI log file and records its exit, also while the agent is down, so output never passes
 * through the JVM.
 */
final class Supervisor {

    private static final String SCRIPT = "supervise.pl";

    private final Path perl;
    private final Path script;

    Supervisor(Path perl, Path stateDir) {
        this.perl = perl;
        this.script = stateDir.resolve(SCRIPT);
    }

    /** Writes the script into the state directory (again, so an upgraded agent runs its own version). */
    void install() {
        try (InputStream source = Objects.requireNonNull(Supervisor.class.getResourceAsStream(SCRIPT), SCRIPT)) {
            Path temporary = script.resolveSibling(SCRIPT + ".tmp");
            Files.write(temporary, source.readAllBytes());
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwx------"));
            Files.move(temporary, script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the process supervisor " + script, e);
        }
    }

    /** Whether the interpreter exists; without it no container can start. */
    boolean interpreterPresent() {
        return Files.isExecutable(perl);
    }

    Path interpreter() {
        return perl;
    }

    /**
     * Starts {@code command} under a new supervisor and waits until it runs (or could not be run).
     *
     * @param cgroupProcs {@code cgroup.procs} files the command joins before it runs
     * @param workingDir the directory the supervisor changes into before running it; empty to leave that to the command
     */
    Launched launch(Path statePrefix, Path supervisorLog, Path log, long maxLogBytes, int maxLogFiles, String workingDir,
            List<String> cgroupProcs, List<String> command, Map<String, String> env) {
        List<String> argv = new ArrayList<>();
        argv.add(perl.toString());
        argv.add(script.toString());
        argv.add(statePrefix.toString());
        argv.add(log.toString());
        argv.add(Long.toString(maxLogBytes));
        argv.add(Integer.toString(maxLogFiles));
        argv.add(workingDir);
        argv.addAll(cgroupProcs);
        argv.add("--");
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(supervisorLog.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            String answer;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                answer = reader.readLine();
            }
            if (answer != null && answer.startsWith("started ")) {
                return new Launched(process, Long.parseLong(answer.substring("started ".length()).strip()), null);
            }
            if (answer != null && answer.startsWith("failed ")) {
                return new Launched(process, 0, answer.substring("failed ".length()).strip());
            }
            return new Launched(process, 0, "the supervisor ended before starting the command: " + supervisorOutput(supervisorLog));
        } catch (IOException e) {
            return new Launched(null, 0, "the supervisor could not run: " + e.getMessage());
        }
    }

    private static String supervisorOutput(Path supervisorLog) {
        try {
            String text = Files.readString(supervisorLog).strip();
            return text.isEmpty() ? "no output" : text;
        } catch (IOException e) {
            return "no output";
        }
    }

    /** A started supervisor ({@code process}) and its command's pid, or why the command did not start. */
    record Launched(@Nullable Process process, long pid, @Nullable String failure) {}
}
