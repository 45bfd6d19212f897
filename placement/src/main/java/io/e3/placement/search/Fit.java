package io.e3.placement.search;

import io.e3.model.topology.CoreClass;
import io.e3.model.topology.NodeKind;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementState;
import io.e3.placement.Topology;
import io.e3.placement.constraint.Constraints;
import io.e3.placement.constraint.Verdict;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/** The node searches of Algorithm 3 over one placement state: first fit, best fit, and why nothing fits. */
public final class Fit {

    private final PlacementState state;
    private final Constraints constraints;

    public Fit(PlacementState state, Constraints constraints) {
        this.state = state;
        this.constraints = constraints;
    }

    /** {@code find_first_fit}: the first node in cluster order that satisfies every constraint, or -1. */
    public int firstFit(LoadModel.Demand demand) {
        return firstFit(demand, n -> true);
    }

    /** The first node in cluster order among those {@code among} accepts that satisfies every constraint, or -1. */
    public int firstFit(LoadModel.Demand demand, IntPredicate among) {
        Room room = new Room(demand);
        for (int n = 0; n < state.topology().size(); n++) {
            if (among.test(n) && room.mayFit(n) && constraints.check(demand, n, state).ok()) {
                return n;
            }
        }
        return -1;
    }

    /**
     * How many nodes that can take an instance best fit compares within one level. A level beyond the pod of a
     * 10,000-server cluster holds 40,000 SmartNICs; comparing the first 64 that fit keeps the search's cost per
     * instance flat as clusters grow, and on clusters of a few racks it compares them all.
     */
    public static final int BEST_FIT_CANDIDATES = 64;

    /**
     * {@code find_best_fit} within one level: of the first {@value #BEST_FIT_CANDIDATES} nodes in cluster order that
     * satisfy every constraint, the one left with the smallest share of its cores free after taking the instance
     * (ties: the first in cluster order), or -1.
     */
    public int bestFit(LoadModel.Demand demand, Topology.Level level) {
        return bestFit(demand, level, n -> true);
    }

    /** {@link #bestFit(LoadModel.Demand, Topology.Level)} among the nodes of the level that {@code among} accepts. */
    public int bestFit(LoadModel.Demand demand, Topology.Level level, IntPredicate among) {
        int best = -1;
        double bestLeft = Double.POSITIVE_INFINITY;
        Room room = new Room(demand);
        int fitting = 0;
        for (int n : level.candidates()) {
            if (!among.test(n) || !room.mayFit(n) || !level.member().test(n)
                    || !constraints.check(demand, n, state).ok()) {
                continue;
            }
            double cores = state.topology().node(n).capacity().cores();
            double left = (state.freeCores(n) - demand.coresOn(state.topology().node(n).capacity().coreClass())) / cores;
            if (left < bestLeft || (left == bestLeft && n < best)) {
                best = n;
                bestLeft = left;
            }
            if (++fitting == BEST_FIT_CANDIDATES) {
                break;
            }
        }
        return best;
    }

    /**
     * Of the first {@value #BEST_FIT_CANDIDATES} nodes in cluster order among those {@code among} accepts that satisfy
     * every constraint, the roomiest for the instance: the one where it takes the smallest share of what is still
     * free, counted in its most demanding resource (cores on that node's kind of core, memory or bandwidth); ties: the
     * first in cluster order. -1 if none. The opposite of best fit: it spreads an app over the nodes in proportion to
     * what each has left, which packs tighter than best fit when several resources run short at once.
     */
    public int roomiest(LoadModel.Demand demand, IntPredicate among) {
        int best = -1;
        double bestShare = Double.POSITIVE_INFINITY;
        Room room = new Room(demand);
        int fitting = 0;
        for (int n = 0; n < state.topology().size() && fitting < BEST_FIT_CANDIDATES; n++) {
            if (!among.test(n) || !room.mayFit(n) || !constraints.check(demand, n, state).ok()) {
                continue;
            }
            fitting++;
            double share = Math.max(share(demand.coresOn(state.topology().node(n).capacity().coreClass()),
                    state.freeCores(n)), Math.max(share(demand.memoryMiB(), state.freeMemoryMiB(n)),
                    share(demand.bandwidthGbps(), state.freeBandwidthGbps(n))));
            if (share < bestShare) {
                best = n;
                bestShare = share;
            }
        }
        return best;
    }

    /** {@code asked} over {@code free}, 0 when nothing is asked (the node has room, or the constraints said no). */
    private static double share(double asked, double free) {
        return asked <= 0 ? 0 : asked / Math.max(free, Double.MIN_VALUE);
    }

    /**
     * The resource check without its reason, for skipping full nodes before the constraints are asked: false only
     * where {@link io.e3.placement.constraint.ResourceConstraint} would refuse too.
     */
    private final class Room {
        private final double beefyCores;
        private final double wimpyCores;
        private final long memoryMiB;

        Room(LoadModel.Demand demand) {
            beefyCores = demand.coresOn(CoreClass.BEEFY);
            wimpyCores = demand.coresOn(CoreClass.WIMPY);
            memoryMiB = demand.memoryMiB();
        }

        boolean mayFit(int n) {
            double cores = state.topology().node(n).capacity().coreClass() == CoreClass.BEEFY ? beefyCores
                    : wimpyCores;
            return state.freeMemoryMiB(n) >= memoryMiB && state.freeCores(n) >= cores - 1e-9;
        }
    }

    /**
     * Up to {@code limit} nodes that refuse the instance only for want of capacity, closest to fitting first (the
     * smallest shortfall; ties in cluster order): where making room is worth trying.
     */
    public List<Integer> closest(LoadModel.Demand demand, int limit) {
        List<double[]> refused = new ArrayList<>();
        for (int n = 0; n < state.topology().size(); n++) {
            Verdict v = constraints.check(demand, n, state);
            if (!v.ok() && Double.isFinite(v.shortfall())) {
                refused.add(new double[] {v.shortfall(), n});
            }
        }
        refused.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        return refused.stream().limit(limit).map(r -> (int) r[1]).toList();
    }

    /**
     * Why no node takes the instance: for each kind of node in the cluster, how many refused it under each rule, and
     * the refusal of the node closest to the constraints (the smallest shortfall), e.g. {@code no host fits (2 by
     * resources, 1 by fault domain); closest host s2/host: free cores 0.25 < 0.50 asked}.
     */
    public List<String> whyNot(LoadModel.Demand demand) {
        Map<NodeKind, Verdict> closest = new EnumMap<>(NodeKind.class);
        Map<NodeKind, Map<String, Integer>> byRule = new EnumMap<>(NodeKind.class);
        for (int n = 0; n < state.topology().size(); n++) {
            Constraints.Refusal refusal = constraints.refusal(demand, n, state);
            Verdict v = refusal.verdict();
            if (v.ok()) {
                continue;
            }
            NodeKind kind = state.topology().node(n).kind();
            byRule.computeIfAbsent(kind, k -> new TreeMap<>()).merge(refusal.rule(), 1, Integer::sum);
            Verdict best = closest.get(kind);
            if (best == null || v.shortfall() < best.shortfall()) {
                closest.put(kind, v);
            }
        }
        List<String> reasons = new ArrayList<>();
        closest.forEach((kind, v) -> {
            List<String> counts = new ArrayList<>();
            byRule.get(kind).forEach((rule, count) -> counts.add(count + " by " + rule));
            reasons.add("no " + kind.name().toLowerCase(Locale.ROOT) + " fits (" + String.join(", ", counts)
                    + "); closest " + v.reason());
        });
        if (reasons.isEmpty()) {
            reasons.add(state.topology().size() == 0 ? "the cluster has no compute nodes"
                    : "some node satisfies every constraint, but the strategy did not place it there");
        }
        return reasons;
    }
}
