package io.e3.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds the throughput at the knee of the latency-throughput graph, "where queueing delay is minimal" (§5.3.3), by
 * stepping the offered rate of an open-loop client, one independent run per step on the same deployment.
 *
 * <p><b>Definition.</b> Let L(r) be the mean latency and X(r) the throughput measured at offered rate r, and L₀ the
 * mean latency at the start rate r₀, taken as free of queueing. The queueing delay at r is Q(r) = L(r) − L₀. A rate is
 * <em>below the knee</em> when the cluster keeps up, X(r) ≥ (1 − {@link Settings#shortfall()})·r, and queueing is
 * still minimal, Q(r) ≤ {@link Settings#queueingAllowance()}·L₀. The knee rate r* is the highest rate found below
 * the knee: the search doubles r from r₀ until a rate is not below the knee (or {@link Settings#maxRate()} is
 * reached), then bisects between the last rate below and the first above {@link Settings#refinements()} times. The
 * result is X(r*), the throughput measured at r*.
 *
 * <p>With constant arrivals nothing queues until a node saturates, so the knee is the capacity of the bottleneck. With
 * Poisson arrivals queueing starts earlier, as queueing theory says (for one M/D/1 node and the default allowance of
 * 25 % at about a third of its capacity); the arrival process is the base configuration's.
 */
public final class KneeSearch {

    /**
     * How to search.
     *
     * @param startRate         r₀, requests per second; low enough that nothing queues, greater than 0
     * @param stepSeconds       simulated seconds per step, greater than 0
     * @param warmupSeconds     simulated seconds left out at the start of each step, in [0, stepSeconds)
     * @param queueingAllowance queueing delay allowed below the knee, as a share of L₀; greater than 0
     * @param shortfall         share of the offered rate the throughput may fall short by below the knee, in (0, 1)
     * @param refinements       bisection steps after the bracket is found, at least 0
     * @param maxRate           the search does not offer more than this, greater than {@code startRate}
     */
    public record Settings(double startRate, double stepSeconds, double warmupSeconds, double queueingAllowance,
                           double shortfall, int refinements, double maxRate) {

        public Settings {
            if (!(startRate > 0) || Double.isInfinite(startRate)) {
                throw new IllegalArgumentException("knee: start rate must be > 0 requests per second, got "
                        + startRate);
            }
            if (!(stepSeconds > 0) || !(warmupSeconds >= 0 && warmupSeconds < stepSeconds)) {
                throw new IllegalArgumentException("knee: step must be > 0 s and warm-up in [0, step), got "
                        + stepSeconds + " and " + warmupSeconds);
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

        /** Defaults from {@code startRate}: 2 s steps after 0.5 s of warm-up, 25 % allowance, 2 % shortfall, 6 bisections. */
        public static Settings from(double startRate) {
            return new Settings(startRate, 2, 0.5, 0.25, 0.02, 6, 1e9);
        }
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

    private KneeSearch() {
    }

    /**
     * Searches the knee of {@code simulator}'s scenario; its configuration supplies everything but the rate, the
     * duration and the warm-up. {@code listener} hears of every step's progress.
     *
     * @throws IllegalArgumentException if the configuration's client is closed-loop, or if the start rate is already
     *                                  past the knee (the cluster does not keep up with it)
     */
    public static Result find(Simulator simulator, Settings settings, ProgressListener listener) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(listener, "listener");
        SimulationConfig base = simulator.config();
        if (!base.client().openLoop()) {
            throw new IllegalArgumentException("knee: the search needs an open-loop client");
        }
        List<Step> steps = new ArrayList<>();
        SimulationResult first = run(simulator, base, settings, settings.startRate(), listener);
        double baseline = first.latency().meanMicros();
        Step start = step(first, settings.startRate(), baseline, settings);
        steps.add(start);
        if (!start.belowKnee()) {
            throw new IllegalArgumentException("knee: the start rate " + settings.startRate()
                    + "/s is already past the knee (completed " + Math.round(first.throughput())
                    + "/s); start lower");
        }
        Bracket b = new Bracket(start);
        java.util.function.DoubleFunction<Step> probe = r -> {
            Step s = step(run(simulator, base, settings, r, listener), r, baseline, settings);
            steps.add(s);
            return s;
        };
        while (b.above == null && b.below.offeredRate() < settings.maxRate()) {
            b.take(probe.apply(Math.min(settings.maxRate(), 2 * b.below.offeredRate())));
        }
        for (int i = 0; b.above != null && i < settings.refinements(); i++) {
            b.take(probe.apply((b.below.offeredRate() + b.above.offeredRate()) / 2));
        }
        return new Result(b.below.throughput(), b.below.offeredRate(), baseline, steps);
    }

    /** The highest step below the knee so far, and the lowest past it (null until one is found). */
    private static final class Bracket {
        Step below;
        Step above;

        Bracket(Step start) {
            below = start;
        }

        void take(Step s) {
            if (s.belowKnee()) {
                below = s;
            } else {
                above = s;
            }
        }
    }

    private static SimulationResult run(Simulator simulator, SimulationConfig base, Settings settings, double rate,
                                        ProgressListener listener) {
        SimulationConfig c = base.toBuilder().client(base.client().withRate(rate))
                .durationSeconds(settings.stepSeconds()).warmupSeconds(settings.warmupSeconds()).build();
        return simulator.with(c).run(listener);
    }

    private static Step step(SimulationResult r, double rate, double baseline, Settings settings) {
        double mean = r.latency().meanMicros();
        boolean keepsUp = r.throughput() >= (1 - settings.shortfall()) * rate;
        boolean minimalQueueing = r.latency().count() > 0 && mean - baseline <= settings.queueingAllowance() * baseline;
        return new Step(rate, r.throughput(), mean, r.latency().p99Micros(), keepsUp && minimalQueueing);
    }
}
