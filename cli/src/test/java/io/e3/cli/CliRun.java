package io.e3.cli;

import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** One in-process run of {@code e3}: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        return withStdin(new byte[0], args);
    }

    static CliRun withStdin(byte[] stdin, String... args) {
        return withStdin(new ByteArrayInputStream(stdin), args);
    }

    static CliRun withStdin(InputStream stdin, String... args) {
        return withEnvironment(System::getenv, stdin, args);
    }

    /** A run that sees {@code environment} as its environment variables instead of the process's. */
    static CliRun withEnvironment(Function<String, String> environment, InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = commandLine(stdin, environment, out, err).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    private static CommandLine commandLine(InputStream stdin, StringWriter out, StringWriter err) {
        return commandLine(stdin, System::getenv, out, err);
    }

    private static CommandLine commandLine(InputStream stdin, Function<String, String> environment,
                                           StringWriter out, StringWriter err) {
        CommandLine cli = E3Command.commandLine(stdin, environment);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    /**
     * Starts a run on a thread of its own, for commands that keep running (give them --exit-after); what it printed so
     * far can be read while it runs.
     */
    static Background inBackground(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = commandLine(new ByteArrayInputStream(new byte[0]), out, err);
        CompletableFuture<CliRun> result = CompletableFuture.supplyAsync(
                () -> new CliRun(cli.execute(args), out.toString(), err.toString()), task -> {
                    Thread t = new Thread(task, "e3-test-run");
                    t.setDaemon(true);
                    t.start();
                });
        return new Background(out, result);
    }

    /** A run under way. */
    record Background(StringWriter out, CompletableFuture<CliRun> result) {

        /** What it printed on stdout so far. */
        String outSoFar() {
            return out.toString();
        }

        /** Waits for the run to end. */
        CliRun await(Duration atMost) throws Exception {
            return result.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The stderr lines. */
    java.util.List<String> errLines() {
        return err.lines().toList();
    }
}
