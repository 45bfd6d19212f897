package io.e3.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged command as a user runs it: a separate JVM on {@code target/e3.jar} in the repository's root, with real
 * exit codes and real streams (what a library logs to {@code System.err} included), no standard input.
 */
final class PackagedCli {

    static final Path REPO = Path.of(System.getProperty("e3.repo", "..")).toAbsolutePath().normalize();
    static final Path JAR = Path.of(System.getProperty("e3.jar", "target/e3.jar")).toAbsolutePath();
    /** How long any one run may take; -De3.it.run-minutes=N on a slow machine. */
    static final Duration RUN_LIMIT = Duration.ofMinutes(Long.getLong("e3.it.run-minutes", 5));

    private PackagedCli() {
    }

    /** How a run ended and what it printed. */
    record Result(int exitCode, String out, String err) {

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** {@code e3 args} from the jar, to its end. */
    static Result e3(String... args) throws IOException, InterruptedException {
        try (Running r = start(args)) {
            return r.await();
        }
    }

    /** {@code command} (a script, say) in the repository's root, to its end. */
    static Result run(List<String> command) throws IOException, InterruptedException {
        try (Running r = new Running(command)) {
            return r.await();
        }
    }

    /** Starts {@code e3 args} from the jar; what it prints can be read while it runs. */
    static Running start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new Running(command);
    }

    /** A run under way; closing it kills the process if it still runs and deletes what it printed. */
    static final class Running implements AutoCloseable {
        private final List<String> command;
        private final Path out;
        private final Path err;
        private final Process process;

        private Running(List<String> command) throws IOException {
            this.command = command;
            this.out = Files.createTempFile("e3-out", ".txt");
            this.err = Files.createTempFile("e3-err", ".txt");
            this.process = new ProcessBuilder(command).directory(REPO.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        }

        /** What it has printed on stderr so far. */
        String errSoFar() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /** What it has printed on stdout so far. */
        String outSoFar() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        boolean alive() {
            return process.isAlive();
        }

        /** Waits for its end, at most {@link #RUN_LIMIT}. */
        Result await() throws IOException, InterruptedException {
            if (!process.waitFor(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("e3 did not finish within " + RUN_LIMIT + ": " + command);
            }
            return new Result(process.exitValue(), outSoFar(), errSoFar());
        }

        /** Stops it as Ctrl-C or {@code kill} would (SIGTERM), and waits for its end. */
        Result terminate() throws IOException, InterruptedException {
            process.destroy();
            return await();
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
