package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Placement quality (§5.6.4), measured the same way for every strategy: each app placed alone on each cluster by each
 * strategy, with how much was placed, the communication cost (an unplaced end at the farthest hop), the modelled power
 * and requests per joule, and for the ILPs whether CP-SAT proved optimality. {@link #compare} then sets an HCM variant
 * against each of the baselines.
 *
 * <p>Like for like: energy-aware HCM puts energy first, as ilp-energy does (energy, then communication), so its
 * communication cost is judged against ilp-energy's; against ilp-comm, which may put a whole app on one host at a cost
 * of 0, it cannot come close when Table 5.1 makes SmartNICs cheaper. HCM with the hosts-first order is judged against
 * ilp-comm.
 */
public final class QualityBenchmark {

    /**
     * One app on one cluster by one strategy.
     *
     * @param app                      the app
     * @param cluster                  the cluster's name
     * @param algorithm                the strategy
     * @param instances                the app's instances
     * @param placed                   instances placed
     * @param communicationCost        {@link PlacementMetrics} communication cost, unplaced ends counted
     * @param modelledPowerWatts       cluster wall power, modelled
     * @param modelledRequestsPerJoule the app's requests per joule, modelled
     * @param maxUtilisation           the busiest node's reserved share of its cores
     * @param elapsedMillis            the strategy's running time
     * @param optimal                  for the ILPs, whether every stage was proved optimal; null for the others
     */
    public record Row(String app, String cluster, String algorithm, int instances, int placed,
                      double communicationCost, double modelledPowerWatts, double modelledRequestsPerJoule,
                      double maxUtilisation, double elapsedMillis, Boolean optimal) {

        public int unplaced() {
            return instances - placed;
        }
    }

    /**
     * How {@code algorithm} fared against {@code baseline} over the app × cluster cases both ran.
     *
     * @param cases             cases compared
     * @param placedAtLeast     cases where the algorithm placed at least as many instances
     * @param efficientAtLeast  cases where its modelled requests per joule was at least the baseline's (to 1e-9)
     * @param provedOptimal     cases where the baseline is an ILP that proved optimality, so its cost is the optimum
     * @param costRatios        over those, the algorithm's communication cost over the baseline's (1 when both are 0)
     */
    public record Comparison(String algorithm, String baseline, int cases, int placedAtLeast, int efficientAtLeast,
                             int provedOptimal, List<Double> costRatios) {

        /** The median of {@link #costRatios}, or NaN if there are none. */
        public double medianCostRatio() {
            if (costRatios.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = costRatios.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        /** How many of {@link #costRatios} are at most {@code factor}. */
        public int costWithin(double factor) {
            return (int) costRatios.stream().filter(r -> r <= factor).count();
        }

        /** The largest of {@link #costRatios}, or NaN if there are none. */
        public double worstCostRatio() {
            return costRatios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    private final List<PlacementStrategy> strategies;
    private final Duration timeLimit;

    public QualityBenchmark(List<PlacementStrategy> strategies, Duration timeLimit) {
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("the quality benchmark needs at least one strategy");
        }
        this.strategies = List.copyOf(strategies);
        this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
    }

    /** Places every app alone on every cluster with every strategy; reports each case before it runs. */
    public List<Row> run(List<Cluster> clusters, List<AppSpec> apps, Consumer<String> progress) {
        List<Row> rows = new ArrayList<>();
        for (Cluster cluster : clusters) {
            for (AppSpec app : apps) {
                for (PlacementStrategy s : strategies) {
                    progress.accept(cluster.name() + ": " + app.name() + ": " + s.name());
                    rows.add(row(cluster, app, s.name(), s.place(new PlacementRequest(cluster, ClusterSnapshot.EMPTY,
                            app, 0, timeLimit))));
                }
            }
        }
        return rows;
    }

    private static Row row(Cluster cluster, AppSpec app, String algorithm, PlacementResult r) {
        Map<String, Double> m = r.metrics();
        Double optimal = m.get("ilpOptimal");
        return new Row(app.name(), cluster.name(), algorithm, app.instanceCount(), r.assignments().size(),
                m.get("communicationCost"), m.get("modelledPowerWatts"), m.get("modelledRequestsPerJoule"),
                m.get("maxUtilisation"), m.get("elapsedMillis"), optimal == null ? null : optimal == 1.0);
    }

    /**
     * Each HCM variant in {@code rows} ({@code hcm}, {@code hcm-hosts}), in the order they first appear, against every
     * baseline: {@link #compare} for each.
     */
    public static List<Comparison> compareAll(List<Row> rows) {
        List<Comparison> out = new ArrayList<>();
        rows.stream().map(Row::algorithm).filter(QualityBenchmark::isHcm).distinct()
                .forEach(a -> out.addAll(compare(rows, a)));
        return out;
    }

    /** Whether {@code algorithm} names HCM ({@code hcm}, or {@code hcm-} and its node preference). */
    static boolean isHcm(String algorithm) {
        return algorithm.equals("hcm") || algorithm.startsWith("hcm-");
    }

    /** {@code algorithm} against every strategy in {@code rows} that is not an HCM variant, case by case. */
    public static List<Comparison> compare(List<Row> rows, String algorithm) {
        Map<String, Row> mine = new HashMap<>();
        List<String> others = new ArrayList<>();
        for (Row r : rows) {
            if (r.algorithm().equals(algorithm)) {
                mine.put(r.cluster() + "\n" + r.app(), r);
            } else if (!isHcm(r.algorithm()) && !others.contains(r.algorithm())) {
                others.add(r.algorithm());
            }
        }
        List<Comparison> out = new ArrayList<>();
        for (String other : others) {
            int cases = 0;
            int placed = 0;
            int efficient = 0;
            int optimal = 0;
            List<Double> ratios = new ArrayList<>();
            for (Row b : rows) {
                Row a = mine.get(b.cluster() + "\n" + b.app());
                if (!b.algorithm().equals(other) || a == null) {
                    continue;
                }
                cases++;
                placed += a.placed() >= b.placed() ? 1 : 0;
                efficient += a.modelledRequestsPerJoule() >= b.modelledRequestsPerJoule() - 1e-9 ? 1 : 0;
                if (Boolean.TRUE.equals(b.optimal())) {
                    optimal++;
                    ratios.add(b.communicationCost() == 0 ? (a.communicationCost() == 0 ? 1.0
                            : Double.POSITIVE_INFINITY) : a.communicationCost() / b.communicationCost());
                }
            }
            out.add(new Comparison(algorithm, other, cases, placed, efficient, optimal, ratios));
        }
        return out;
    }
}
