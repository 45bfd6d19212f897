package io.e3.simulator;

import io.e3.model.perf.Knee;

import java.util.Objects;

/**
 * Finds the throughput at the knee of the latency-throughput graph, "where queueing delay is minimal" (§5.3.3), by
 * stepping the offered rate of an open-loop client, one independent run per step on the same deployment. The
 * definition and the search are {@link Knee}'s, the same the load generator uses on a live cluster; this class runs
 * each step as a simulation of {@link Settings#stepSeconds()} after {@link Settings#warmupSeconds()}.
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
            rule(startRate, queueingAllowance, shortfall, refinements, maxRate);
            if (!(stepSeconds > 0) || !(warmupSeconds >= 0 && warmupSeconds < stepSeconds)) {
                throw new IllegalArgumentException("knee: step must be > 0 s and warm-up in [0, step), got "
                        + stepSeconds + " and " + warmupSeconds);
            }
        }

        /** Defaults from {@code startRate}: 2 s steps after 0.5 s of warm-up and {@link Knee.Rule#from}'s rule. */
        public static Settings from(double startRate) {
            Knee.Rule r = Knee.Rule.from(startRate);
            return new Settings(startRate, 2, 0.5, r.queueingAllowance(), r.shortfall(), r.refinements(),
                    r.maxRate());
        }

        /** {@code rule}, each step {@code stepSeconds} of simulated time after {@code warmupSeconds}. */
        public static Settings of(Knee.Rule rule, double stepSeconds, double warmupSeconds) {
            return new Settings(rule.startRate(), stepSeconds, warmupSeconds, rule.queueingAllowance(),
                    rule.shortfall(), rule.refinements(), rule.maxRate());
        }

        /** These settings with another number of bisections. */
        public Settings withRefinements(int n) {
            return of(rule().withRefinements(n), stepSeconds, warmupSeconds);
        }

        /** The knee rule these settings hold. */
        public Knee.Rule rule() {
            return rule(startRate, queueingAllowance, shortfall, refinements, maxRate);
        }

        private static Knee.Rule rule(double startRate, double allowance, double shortfall, int refinements,
                                      double maxRate) {
            return new Knee.Rule(startRate, allowance, shortfall, refinements, maxRate);
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
    public static Knee.Result find(Simulator simulator, Settings settings, ProgressListener listener) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(listener, "listener");
        SimulationConfig base = simulator.config();
        if (!base.client().openLoop()) {
            throw new IllegalArgumentException("knee: the search needs an open-loop client");
        }
        return Knee.find(rate -> {
            SimulationConfig c = base.toBuilder().client(base.client().withRate(rate))
                    .durationSeconds(settings.stepSeconds()).warmupSeconds(settings.warmupSeconds()).build();
            SimulationResult r = simulator.with(c).run(listener);
            return new Knee.Measurement(r.throughput(), r.latency().count(), r.latency().meanMicros(),
                    r.latency().p99Micros());
        }, settings.rule());
    }
}
