package io.e3.loadtest;

import io.e3.model.perf.Knee;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds the knee of the latency-throughput graph of a live target, "where queueing delay is minimal" (§5.3.3), by
 * {@link Knee}'s rule, the one the simulator uses: open loops at constant offered rates, doubling from the start rate
 * until a step is past the knee (it completes less than 98 % of its rate, or its mean latency is more than 25 % above
 * the first step's), then bisecting. Each step is an independent run of {@code stepDuration}.
 *
 * @param generator    runs each step
 * @param rule         the knee rule: start rate (low enough that nothing queues), allowance, bisections
 * @param stepDuration how long each step sends; must be &gt; 0
 */
public record KneeSearch(LoadGenerator generator, Knee.Rule rule, Duration stepDuration) {

    public KneeSearch {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(stepDuration, "stepDuration");
        if (stepDuration.isNegative() || stepDuration.isZero()) {
            throw new IllegalArgumentException("stepDuration: must be > 0, got " + stepDuration);
        }
    }

    /**
     * The outcome of a search.
     *
     * @param steps   every step run, in the order run
     * @param knee    the step at the knee rate r*, or null when even the first step was past it
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
        Knee.Result k;
        try {
            k = Knee.find(rate -> {
                LoadReport step = generator.openLoop(target, Arrivals.constant(rate), stepDuration);
                steps.add(step);
                return new Knee.Measurement(step.throughput(), step.ok(), step.meanMicros(), step.p99Micros());
            }, rule);
        } catch (IllegalArgumentException e) {
            return new Result(steps, null, String.format("the first step, %.0f/s, is already past the knee; start"
                    + " lower", rule.startRate()));
        }
        LoadReport knee = steps.stream().filter(s -> s.offeredRate() == k.offeredRate()).findFirst().orElseThrow();
        Knee.Step last = k.steps().get(k.steps().size() - 1);
        return new Result(steps, knee, last.belowKnee() && last.offeredRate() >= rule.maxRate()
                ? String.format("no knee up to %.0f/s offered: it is still below it; raise the maximum rate",
                        rule.maxRate())
                : String.format("knee at %.0f/s offered, %.0f/s completed (mean %.0f µs against %.0f µs at the"
                        + " start rate)", knee.offeredRate(), knee.throughput(), knee.meanMicros(),
                        k.baselineMeanMicros()));
    }
}
