package io.e3.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds the knee of the latency-throughput graph of a live target, "where queueing delay is minimal" (§5.3.3), by
 * running open loops at a geometric series of constant offered rates.
 *
 * <p>A step is <em>below the knee</em> when its throughput is at least {@value #MIN_THROUGHPUT_SHARE} of the
 * offered rate and its p50 latency is at most {@value #MAX_P50_GROWTH} times the p50 of the first (lowest-rate)
 * step, taken as free of queueing. The knee is the highest-rate step below the knee; the search stops at the first
 * step that is not, or after {@code maxSteps}.
 *
 * <p>The simulator module has its own search ({@code io.e3.simulator.KneeSearch}) on simulated time, with bisection
 * and a mean-latency rule; this one runs in real time, so it steps once per rate and uses the median, which one slow
 * request on a loaded machine does not move.
 *
 * @param generator    runs each step
 * @param startRate    requests per second of the first step; must be &gt; 0 and low enough that nothing queues
 * @param factor       each step offers this many times the previous rate; must be &gt; 1
 * @param stepDuration how long each step sends; must be &gt; 0
 * @param maxSteps     at most this many steps; must be &ge; 1
 */
public record KneeSearch(LoadGenerator generator, double startRate, double factor, Duration stepDuration,
                         int maxSteps) {

    /** Share of the offered rate a step must complete to be below the knee. */
    public static final double MIN_THROUGHPUT_SHARE = 0.95;
    /** How many times the first step's p50 a step's p50 may reach and still be below the knee. */
    public static final double MAX_P50_GROWTH = 2.0;

    public KneeSearch {
        Objects.requireNonNull(generator, "generator");
        if (!(startRate > 0) || Double.isInfinite(startRate)) {
            throw new IllegalArgumentException("startRate: must be a finite number > 0 requests/s, got " + startRate);
        }
        if (!(factor > 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor: must be > 1, got " + factor);
        }
        Objects.requireNonNull(stepDuration, "stepDuration");
        if (stepDuration.isNegative() || stepDuration.isZero()) {
            throw new IllegalArgumentException("stepDuration: must be > 0, got " + stepDuration);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps: must be >= 1, got " + maxSteps);
        }
    }

    /**
     * The outcome of a search.
     *
     * @param steps every step run, in rising rate order
     * @param knee  the highest step below the knee, or null when even the first step was past it
     * @param message how the search ended
     */
    public record Result(List<LoadReport> steps, LoadReport knee, String message) {

        public Result {
            steps = List.copyOf(steps);
            Objects.requireNonNull(message, "message");
        }
    }

    /** Runs the steps against {@code target} and returns them with the knee. */
    public Result search(RequestTarget target) {
        Objects.requireNonNull(target, "target");
        List<LoadReport> steps = new ArrayList<>();
        LoadReport knee = null;
        double baselineP50 = 0;
        double rate = startRate;
        for (int i = 0; i < maxSteps; i++, rate *= factor) {
            LoadReport step = generator.openLoop(target, Arrivals.constant(rate), stepDuration);
            steps.add(step);
            if (i == 0) {
                baselineP50 = step.p50Micros();
            }
            if (!belowKnee(step, baselineP50)) {
                return new Result(steps, knee, knee == null
                        ? String.format("the first step, %.0f/s, is already past the knee; start lower", rate)
                        : String.format("knee at %.0f/s offered, %.0f/s completed; %.0f/s is past it",
                                knee.offeredRate(), knee.throughput(), rate));
            }
            knee = step;
        }
        return new Result(steps, knee, String.format("no knee within %d steps: %.0f/s offered is still below it;"
                + " raise maxSteps or startRate", maxSteps, knee.offeredRate()));
    }

    private static boolean belowKnee(LoadReport step, double baselineP50) {
        return step.ok() > 0
                && step.throughput() >= MIN_THROUGHPUT_SHARE * step.offeredRate()
                && step.p50Micros() <= MAX_P50_GROWTH * baselineP50;
    }
}
