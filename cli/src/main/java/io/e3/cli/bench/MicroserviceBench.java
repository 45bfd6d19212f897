package io.e3.cli.bench;

import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * Runs {@link MicroserviceBenchmark} for one type and request size in a forked JVM, and measures an instance's heap
 * footprint in another.
 *
 * @param warmups    warm-up iterations per run
 * @param iterations measured iterations per run
 * @param time       length of each iteration
 * @param forks      forked JVMs per run
 */
public record MicroserviceBench(int warmups, int iterations, Duration time, int forks) {

    /**
     * The figures of one type at one size. Times are nanoseconds per request on one core, measured; the Table 5.1
     * figure is the host (DPDK) time per request per core, cores / throughput, for comparison. The errors are JMH's 99.9 %
     * confidence half-widths, NaN with too few iterations to compute one.
     */
    public record Row(String type, int askedBytes, double requestBytes, double serviceNanos, double serviceError,
                      double endToEndNanos, double endToEndError, double table51HostNanos) {
    }

    /** Measures {@code type} at {@code bytes}; {@code progress} hears which benchmark runs. */
    public Row run(MicroserviceType type, int bytes, Consumer<String> progress) throws RunnerException, IOException {
        progress.accept(type.manifestName() + " at " + bytes + " B");
        Options options = new OptionsBuilder()
                .include(MicroserviceBenchmark.class.getName() + "\\.")
                .param("type", type.manifestName())
                .param("bytes", Integer.toString(bytes))
                .warmupIterations(warmups).measurementIterations(iterations)
                .warmupTime(TimeValue.milliseconds(time.toMillis()))
                .measurementTime(TimeValue.milliseconds(time.toMillis()))
                .forks(forks).threads(1)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Result<?> service = result(results, "service");
        Result<?> endToEnd = result(results, "endToEnd");
        MicroserviceProfile p = MicroserviceProfile.of(type);
        return new Row(type.manifestName(), bytes, MicroserviceBenchmark.meanRequestBytes(type, bytes),
                service.getScore(), service.getScoreError(), endToEnd.getScore(), endToEnd.getScoreError(),
                1e9 * p.hostCores() / p.hostRps());
    }

    private static Result<?> result(Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .map(RunResult::getPrimaryResult).findFirst()
                .orElseThrow(() -> new IllegalStateException("JMH returned no result for " + method));
    }

    /**
     * The heap one instance of {@code type} keeps, measured by {@link FootprintProbe} in a JVM of its own.
     *
     * @throws IOException if the probe cannot be started or does not print a number
     */
    public static long footprintBytes(MicroserviceType type) throws IOException, InterruptedException {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Process probe = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"),
                FootprintProbe.class.getName(), type.manifestName()).redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (probe.waitFor() != 0 || !out.strip().matches("\\d+")) {
            throw new IOException("footprint probe of " + type.manifestName() + " failed: " + out.strip());
        }
        return Long.parseLong(out.strip());
    }
}
