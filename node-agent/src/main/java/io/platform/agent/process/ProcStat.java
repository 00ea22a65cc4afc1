package io.platform.agent.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as {@code /proc/<pid>/stat} describes it. Its start time (clock ticks since boot) tells a process from a
 * later one that reuses its pid.
 *
 * @param startTicks field 22, {@code starttime}
 * @param cpuTicks fields 14 and 15, {@code utime + stime}
 * @param rssPages field 24, {@code rss}
 */
record ProcStat(long pid, long startTicks, long cpuTicks, long rssPages) {

    /** The kernel's USER_HZ, the unit of the tick fields; 100 on every Linux architecture the platform runs on. */
    static final long TICKS_PER_SECOND = 100;
    static final long PAGE_SIZE = 4096;

    static Optional<ProcStat> read(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        // the command name (field 2) may hold spaces and parentheses: fields are counted after its closing one
        int close = line.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] fields = line.substring(close + 2).trim().split(" ");
        // fields[0] is field 3 (state); a zombie has exited already
        if (fields.length < 22 || fields[0].equals("Z") || fields[0].equals("X")) {
            return Optional.empty();
        }
        return Optional.of(new ProcStat(pid, Long.parseLong(fields[19]), Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                Long.parseLong(fields[21])));
    }

    /** Whether {@code pid} runs and is the process that started at {@code startTicks}. */
    static boolean alive(long pid, long startTicks) {
        return read(pid).map(stat -> stat.startTicks() == startTicks).orElse(false);
    }
}
