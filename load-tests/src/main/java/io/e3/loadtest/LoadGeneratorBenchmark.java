package io.e3.loadtest;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * How fast the generator itself can send: an open loop at 20,000 requests/s for 10 s against a target that answers
 * at once, printing the achieved send rate and whether it is within 2 % of the offered rate. Optional arguments:
 * rate in requests/s, then duration in seconds.
 */
public final class LoadGeneratorBenchmark {

    private LoadGeneratorBenchmark() {
    }

    /** An open loop at {@code rate} for {@code duration} against a target that answers at once. */
    public static LoadReport run(double rate, Duration duration, java.util.function.Consumer<Progress> progress) {
        CompletableFuture<Outcome> answer = CompletableFuture.completedFuture(Outcome.success());
        LoadGenerator generator = LoadGenerator.builder().progressListener(progress).build();
        return generator.openLoop(number -> answer, Arrivals.constant(rate), duration);
    }

    /**
     * What a run of {@link #run} showed, as lines: the rate achieved and whether it is within 2 %
     * of the offered one, the generator's own latency, and the report's
     * message.
     */
    public static List<String> summary(LoadReport report) {
        double shortfall = Math.max(0, 1 - report.achievedSendRate() / report.offeredRate());
        return List.of(
                String.format(Locale.ROOT, "offered %.0f requests/s for %.2f s: sent %d, achieved %.1f/s (%.2f %% "
                                + "under); within 2 %%: %s", report.offeredRate(), report.durationSeconds(),
                        report.sent(), report.achievedSendRate(), 100 * shortfall,
                        shortfall <= LoadGenerator.FALL_BEHIND_TOLERANCE ? "yes" : "no"),
                String.format(Locale.ROOT, "the generator's own latency from intended send time, us: p50 %.1f, p99 "
                        + "%.1f, p99.9 %.1f, max %.1f", report.p50Micros(), report.p99Micros(), report.p999Micros(),
                        report.maxMicros()),
                report.message());
    }

    /** Runs the benchmark; see the class comment for the arguments. */
    public static void main(String[] args) {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 20_000;
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        LoadReport report = run(rate, duration, p -> System.out.printf("  %4.1f s: sent %d, %.0f/s, interval p99 "
                + "%.1f us%n", p.elapsedSeconds(), p.sent(), p.achievedRate(), p.intervalP99Micros()));

        summary(report).forEach(System.out::println);
    }
}
