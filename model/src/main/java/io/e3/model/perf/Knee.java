package io.e3.model.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleFunction;

/**
 * The knee of a latency-throughput curve, "where queueing delay is minimal" (§5.3.3): one definition, used by the
 * simulator on simulated time and by the load generator on a live cluster, so that their knees can be compared.
 *
 * <p><b>Definition.</b> Let L(r) be the mean latency and X(r) the throughput measured at offered rate r, and L₀ the
 * mean latency at the start rate r₀, taken as free of queueing. The queueing delay at r is Q(r) = L(r) − L₀. A rate is
 * <em>below the knee</em> when the target keeps up, X(r) ≥ (1 − {@link Rule#shortfall()})·r, and queueing is still
 * minimal, Q(r) ≤ {@link Rule#queueingAllowance()}·L₀. The knee rate r* is the highest rate found below the knee: the
 * search doubles r from r₀ until a rate is not below the knee (or {@link Rule#maxRate()} is reached), then bisects
 * between the last rate below and the first above {@link Rule#refinements()} times. The result is X(r*), the
 * throughput measured at r*.
 *
 * <p>With constant arrivals nothing queues until a node saturates, so the knee is the capacity of the bottleneck. With
 * Poisson arrivals queueing starts earlier (for one M/D/1 node and the default allowance of 25 %, at about a third of
 * its capacity).
 */
public final class Knee {

    /**
     * How to search.
     *
     * @param startRate         r₀, requests per second; low enough that nothing queues, greater than 0
     * @param queueingAllowance queueing delay allowed below the knee, as a share of L₀; greater than 0
     * @param shortfall         share of the offered rate the throughput may fall short by below the knee, in (0, 1)
     * @param refinements       bisection steps after the bracket is found, at least 0
     * @param maxRate           the search does not offer more than this, greater than {@code startRate}
     */
    public record Rule(double startRate, double queueingAllowance, double shortfall, int refinements, double maxRate) {

        public Rule {
            if (!(startRate > 0) || Double.isInfinite(startRate)) {
                throw new IllegalArgumentException("knee: start rate must be > 0 requests per second, got "
                        + startRate);
            }
            if (!(queueingAllowance > 0) || !(shortfall > 0 && shortfall < 1) || refinements < 0) {
                throw new IllegalArgumentException("knee: allowance must be > 0, shortfall in (0, 1), refinements"
                        + " >= 0");
            }
            if (!(maxRate > startRate)) {
                throw new IllegalArgumentException("knee: max rate " + maxRate + " must exceed the start rate "
                        + startRate);
            }
        }

        /** Defaults from {@code startRate}: 25 % allowance, 2 % shortfall, 6 bisections, no upper bound to speak of. */
        public static Rule from(double startRate) {
            return new Rule(startRate, 0.25, 0.02, 6, 1e9);
        }

        /** This rule with another number of bisections. */
        public Rule withRefinements(int n) {
            return new Rule(startRate, queueingAllowance, shortfall, n, maxRate);
        }
    }

    /**
     * What one step at an offered rate measured.
     *
     * @param throughput requests per second completed
     * @param completed  requests completed (a step that completed none is past the knee)
     * @param meanMicros mean latency
     * @param p99Micros  99th percentile latency
     */
    public record Measurement(double throughput, long completed, double meanMicros, double p99Micros) {
    }

    /**
     * One step of the search.
     *
     * @param offeredRate requests per second offered
     * @param throughput  requests per second completed
     * @param meanMicros  mean latency
     * @param p99Micros   99th percentile latency
     * @param belowKnee   whether the step met both conditions
     */
    public record Step(double offeredRate, double throughput, double meanMicros, double p99Micros,
                       boolean belowKnee) {
    }

    /**
     * The knee.
     *
     * @param throughput         X(r*), requests per second completed at the knee
     * @param offeredRate        r*
     * @param baselineMeanMicros L₀
     * @param steps              every step run, in order
     */
    public record Result(double throughput, double offeredRate, double baselineMeanMicros, List<Step> steps) {

        public Result {
            steps = List.copyOf(steps);
        }
    }

    private Knee() {
    }

    /**
     * Searches the knee by {@code rule}; {@code probe} runs one independent step at an offered rate and returns what
     * it measured.
     *
     * @throws IllegalArgumentException if the start rate is already past the knee
     */
    public static Result find(DoubleFunction<Measurement> probe, Rule rule) {
        return find(probe, rule, Double.NaN);
    }

    /**
     * Searches the knee by {@code rule}, but with the queueing allowance fixed at {@code allowanceMicros} instead of
     * {@link Rule#queueingAllowance()}·L₀ of this search: for a side whose L₀ carries a constant offset that the side it
     * is compared with lacks, so that the offset does not widen its allowance. The emulated cluster of the
     * cross-validation is such a side: the real time its own code and sockets take on a request shows, divided by the
     * dilation, as latency the simulator does not model, in L₀ as in every other step; the queueing delay Q(r) = L(r)
     * − L₀ cancels it, a share of L₀ does not.
     *
     * @param allowanceMicros the queueing delay allowed below the knee, µs, greater than 0
     * @throws IllegalArgumentException if the start rate is already past the knee, or the allowance is not positive
     */
    public static Result find(DoubleFunction<Measurement> probe, Rule rule, double allowanceMicros) {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(rule, "rule");
        if (!Double.isNaN(allowanceMicros) && !(allowanceMicros > 0 && Double.isFinite(allowanceMicros))) {
            throw new IllegalArgumentException("knee: the queueing allowance must be > 0 µs, got " + allowanceMicros);
        }
        List<Step> steps = new ArrayList<>();
        Measurement first = probe.apply(rule.startRate());
        double baseline = first.meanMicros();
        double allowance = Double.isNaN(allowanceMicros) ? rule.queueingAllowance() * baseline : allowanceMicros;
        Step start = step(first, rule.startRate(), baseline, allowance, rule);
        steps.add(start);
        if (!start.belowKnee()) {
            throw new IllegalArgumentException("knee: the start rate " + rule.startRate()
                    + "/s is already past the knee (completed " + Math.round(first.throughput()) + "/s); start lower");
        }
        Step below = start;
        Step above = null;
        int bisections = 0;
        while (above == null ? below.offeredRate() < rule.maxRate() : bisections++ < rule.refinements()) {
            double r = above == null ? Math.min(rule.maxRate(), 2 * below.offeredRate())
                    : (below.offeredRate() + above.offeredRate()) / 2;
            Step s = step(probe.apply(r), r, baseline, allowance, rule);
            steps.add(s);
            if (s.belowKnee()) {
                below = s;
            } else {
                above = s;
            }
        }
        return new Result(below.throughput(), below.offeredRate(), baseline, steps);
    }

    /** Whether a step at {@code rate} that measured {@code m} is below the knee, given the baseline L₀. */
    public static boolean belowKnee(Measurement m, double rate, double baselineMeanMicros, Rule rule) {
        return belowKnee(m, rate, baselineMeanMicros, rule.queueingAllowance() * baselineMeanMicros, rule);
    }

    private static boolean belowKnee(Measurement m, double rate, double baselineMeanMicros, double allowanceMicros,
                                     Rule rule) {
        boolean keepsUp = m.throughput() >= (1 - rule.shortfall()) * rate;
        boolean minimalQueueing = m.completed() > 0 && m.meanMicros() - baselineMeanMicros <= allowanceMicros;
        return keepsUp && minimalQueueing;
    }

    private static Step step(Measurement m, double rate, double baseline, double allowance, Rule rule) {
        return new Step(rate, m.throughput(), m.meanMicros(), m.p99Micros(),
                belowKnee(m, rate, baseline, allowance, rule));
    }
}
