package io.e3.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A thread's scheduling priority on Linux, where each thread has a nice value of its own: {@link #lower} runs
 * {@code renice} on the calling thread's id (from {@code /proc/thread-self}). Raising the nice value needs no
 * privilege. Elsewhere, or if {@code renice} is missing, nothing changes. Also reads another process's thread's CPU
 * time from {@code /proc}.
 */
final class Nice {

    /** What {@link #lower} returns when the thread's nice value cannot be read. */
    static final int UNKNOWN = Integer.MAX_VALUE;

    private Nice() {
    }

    /**
     * Sets the calling thread's nice value to {@code nice} (0 leaves it as it is); returns its nice value afterwards,
     * or {@link #UNKNOWN}.
     */
    static int lower(int nice) {
        String tid;
        try {
            tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            return UNKNOWN;
        }
        if (nice != 0) {
            try {
                Process p = new ProcessBuilder("renice", "-n", String.valueOf(nice), "-p", tid)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroy();
                }
            } catch (IOException e) {
                return of(tid);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return of(tid);
    }

    /**
     * CPU time, user and system, of the thread named {@code name} in process {@code pid}, in seconds (at the kernel's
     * clock tick, 10 ms), or -1 if there is none or it cannot be read.
     */
    static double cpuSeconds(long pid, String name) {
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat = Files.readString(task.resolve("stat"));
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.equals(name)) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return (Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3])) / 100.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Field 19 of {@code /proc/self/task/TID/stat}, counted after the command name, which may hold spaces. */
    private static int of(String tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task", tid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[19 - 3]);
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }
}
