package io.e3.placement.hcm;

import io.e3.model.app.Instance;
import io.e3.model.topology.CoreClass;
import io.e3.model.topology.NodeKind;
import io.e3.placement.LoadModel;
import io.e3.placement.Topology;
import io.e3.placement.search.PlacementContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HCM's packed orders, for an app the cluster can only just hold: where the breadth-first traversal strands, what
 * decides how many instances fit is how tightly they are packed, not how close they sit.
 *
 * <p>Two steps. First each instance is given the kind of core it should go on ({@link #kindOf}): on a cluster of hosts
 * with SmartNICs, the SmartNICs' few GiB of memory run out long before their cores, and the hosts' cores long before
 * their memory, so the instances that need the most cores for their memory belong on the SmartNICs and the others on
 * the hosts. Then the replica sets (a primary and its backups) are placed largest or smallest first, each instance on
 * the roomiest node of its kind ({@link io.e3.placement.search.Fit#roomiest}), else of the other kind, which keeps
 * room on every server for the backups that must go to another one.
 */
final class Packing {

    private final PlacementContext ctx;
    private final Set<String> failed;

    /** Packs into {@code ctx}'s state; adds the instances that fit nowhere to {@code failed}. */
    Packing(PlacementContext ctx, Set<String> failed) {
        this.ctx = ctx;
        this.failed = failed;
    }

    /** Places every instance not yet placed nor failed, the largest replica sets first or the smallest. */
    void place(boolean largestFirst) {
        Map<String, List<Instance>> sets = new LinkedHashMap<>();
        for (Instance i : ctx.app().instances()) {
            sets.computeIfAbsent(i.isBackup() ? i.primary() : i.id(), k -> new ArrayList<>()).add(i);
        }
        Map<CoreClass, double[]> free = freeByCoreClass();
        Comparator<List<Instance>> bySize = Comparator.comparingDouble(set -> size(set.get(0), free));
        List<List<Instance>> order = new ArrayList<>(sets.values());
        order.sort(largestFirst ? bySize.reversed() : bySize);
        Map<String, CoreClass> kinds = kindOf(free);
        Topology t = ctx.topology();
        for (List<Instance> set : order) {
            for (Instance i : set) {
                if (ctx.state().nodeOf(i.id()) >= 0 || failed.contains(i.id())) {
                    continue;
                }
                LoadModel.Demand d = ctx.load().demandOf(i);
                CoreClass kind = kinds.get(i.id());
                int node = kind == null ? -1 : ctx.fit().roomiest(d, n -> t.node(n).capacity().coreClass() == kind);
                if (node < 0) {
                    node = ctx.fit().roomiest(d, n -> t.node(n).capacity().coreClass() != kind);
                }
                if (node >= 0) {
                    ctx.state().assign(d, node);
                } else {
                    failed.add(i.id());
                }
            }
        }
    }

    /** Cores, memory (MiB) and bandwidth (Gb/s) free over all nodes of each kind of core, in that order. */
    private Map<CoreClass, double[]> freeByCoreClass() {
        Map<CoreClass, double[]> free = new EnumMap<>(CoreClass.class);
        Topology t = ctx.topology();
        for (int n = 0; n < t.size(); n++) {
            double[] f = free.computeIfAbsent(t.node(n).capacity().coreClass(), k -> new double[3]);
            f[0] += Math.max(0, ctx.state().freeCores(n));
            f[1] += Math.max(0, ctx.state().freeMemoryMiB(n));
            f[2] += Math.max(0, ctx.state().freeBandwidthGbps(n));
        }
        return free;
    }

    /**
     * How much of the cluster an instance takes: its share of the free cores of the kind where it needs the smaller
     * share, plus its shares of all free memory and bandwidth.
     */
    private double size(Instance i, Map<CoreClass, double[]> free) {
        LoadModel.Demand d = ctx.load().demandOf(i);
        double cores = Double.POSITIVE_INFINITY;
        double memory = 0;
        double bandwidth = 0;
        for (Map.Entry<CoreClass, double[]> e : free.entrySet()) {
            cores = Math.min(cores, share(d.coresOn(e.getKey()), e.getValue()[0]));
            memory += e.getValue()[1];
            bandwidth += e.getValue()[2];
        }
        return cores + share(d.memoryMiB(), memory) + share(d.bandwidthGbps(), bandwidth);
    }

    /**
     * The kind of core each instance should go on, the fractional-knapsack order between two kinds: instances by how
     * much more of the wimpy cores' aggregate than of the beefy cores' they take (each counted in the resource it takes
     * most of), fewest first, fill the wimpy kind while its free cores, memory and bandwidth last; the rest go to beefy
     * cores. An instance pinned to a kind of node only one kind of core has goes there. Empty when the cluster has one
     * kind of core.
     */
    private Map<String, CoreClass> kindOf(Map<CoreClass, double[]> free) {
        Map<String, CoreClass> kinds = new HashMap<>();
        if (free.size() < 2) {
            return kinds;
        }
        Map<CoreClass, Set<NodeKind>> nodeKinds = new EnumMap<>(CoreClass.class);
        Topology t = ctx.topology();
        for (int n = 0; n < t.size(); n++) {
            nodeKinds.computeIfAbsent(t.node(n).capacity().coreClass(), k -> EnumSet.noneOf(NodeKind.class))
                    .add(t.node(n).kind());
        }
        double[] wimpyLeft = free.get(CoreClass.WIMPY).clone();
        List<LoadModel.Demand> either = new ArrayList<>();
        for (Instance i : ctx.app().instances()) {
            NodeKind pin = ctx.constraints().pins().pinOf(i.service());
            boolean beefy = pin == null || nodeKinds.get(CoreClass.BEEFY).contains(pin);
            boolean wimpy = pin == null || nodeKinds.get(CoreClass.WIMPY).contains(pin);
            LoadModel.Demand d = ctx.load().demandOf(i);
            if (beefy && wimpy) {
                either.add(d);
            } else if (wimpy) {
                kinds.put(i.id(), CoreClass.WIMPY);
                take(wimpyLeft, d);
            } else if (beefy) {
                kinds.put(i.id(), CoreClass.BEEFY);
            }
        }
        double[] wimpyFree = free.get(CoreClass.WIMPY);
        double[] beefyFree = free.get(CoreClass.BEEFY);
        either.sort(Comparator.comparingDouble(d -> dominantShare(d, CoreClass.WIMPY, wimpyFree)
                / Math.max(dominantShare(d, CoreClass.BEEFY, beefyFree), Double.MIN_VALUE)));
        for (LoadModel.Demand d : either) {
            boolean fits = d.coresOn(CoreClass.WIMPY) <= wimpyLeft[0] + 1e-9 && d.memoryMiB() <= wimpyLeft[1]
                    && d.bandwidthGbps() <= wimpyLeft[2] + 1e-9;
            kinds.put(d.instance().id(), fits ? CoreClass.WIMPY : CoreClass.BEEFY);
            if (fits) {
                take(wimpyLeft, d);
            }
        }
        return kinds;
    }

    private static void take(double[] left, LoadModel.Demand d) {
        left[0] -= d.coresOn(CoreClass.WIMPY);
        left[1] -= d.memoryMiB();
        left[2] -= d.bandwidthGbps();
    }

    /** The largest of {@code d}'s shares of the cores, memory and bandwidth {@code free} on {@code kind}. */
    private static double dominantShare(LoadModel.Demand d, CoreClass kind, double[] free) {
        return Math.max(share(d.coresOn(kind), free[0]),
                Math.max(share(d.memoryMiB(), free[1]), share(d.bandwidthGbps(), free[2])));
    }

    /** {@code asked} over {@code free}; 0 if nothing is asked, infinite if something is and nothing is free. */
    private static double share(double asked, double free) {
        return asked <= 0 ? 0 : free <= 0 ? Double.POSITIVE_INFINITY : asked / free;
    }
}
