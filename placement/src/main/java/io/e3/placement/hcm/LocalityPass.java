package io.e3.placement.hcm;

import io.e3.model.topology.CoreClass;
import io.e3.model.topology.HopClass;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementContext;
import io.e3.placement.PlacementState;
import io.e3.placement.Topology;
import io.e3.placement.TrafficPairs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local search after HCM's traversal: each placed primary in turn moves to the node, among its communication
 * partners' nodes and the other nodes of their servers, that lowers the app's communication cost the most, if every
 * constraint allows it there. It only moves an instance between nodes with the same kind of core, so the modelled
 * energy per request, and with it the app's active power, stays what the traversal chose; and it never unplaces
 * anything. A few passes ({@value #PASSES}), stopping early when one moves nothing.
 *
 * <p>The traversal places each instance near the first of its callers it reaches, before it knows where its callees
 * go; this pass brings an instance to the partners it exchanges the most bytes with, which is what the ILP's objective
 * rewards.
 */
final class LocalityPass {

    /** Passes over the app's primaries. */
    static final int PASSES = 3;

    private final PlacementContext ctx;
    private final Topology t;
    /** The primaries that exchange traffic, in app order. */
    private final String[] ids;
    /** Their nodes, kept in step with the state (-1: unplaced). */
    private final int[] node;
    /** For each, its partners (indices into {@link #ids}) and the bytes per second exchanged, both ways summed. */
    private final int[][] partner;
    private final double[][] bytes;

    private LocalityPass(PlacementContext ctx) {
        this.ctx = ctx;
        this.t = ctx.topology();
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Map<Integer, Double>> with = new ArrayList<>();
        for (TrafficPairs.Pair p : TrafficPairs.of(ctx.app())) {
            int a = index.computeIfAbsent(p.from(), k -> index.size());
            int b = index.computeIfAbsent(p.to(), k -> index.size());
            while (with.size() < index.size()) {
                with.add(new HashMap<>());
            }
            with.get(a).merge(b, p.bytesPerSecond(), Double::sum);
            with.get(b).merge(a, p.bytesPerSecond(), Double::sum);
        }
        ids = index.keySet().toArray(String[]::new);
        node = new int[ids.length];
        partner = new int[ids.length][];
        bytes = new double[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            node[i] = ctx.state().nodeOf(ids[i]);
            Map<Integer, Double> w = with.get(i);
            partner[i] = new int[w.size()];
            bytes[i] = new double[w.size()];
            int k = 0;
            for (Map.Entry<Integer, Double> e : w.entrySet()) {
                partner[i][k] = e.getKey();
                bytes[i][k++] = e.getValue();
            }
        }
    }

    /** Improves the placement in {@code ctx}'s state; returns how many moves it made. */
    static int improve(PlacementContext ctx) {
        return new LocalityPass(ctx).run();
    }

    private int run() {
        PlacementState state = ctx.state();
        int moves = 0;
        int[] candidates = new int[16];
        double[] costs = new double[16];
        for (int pass = 0; pass < PASSES; pass++) {
            int moved = 0;
            for (int i = 0; i < ids.length; i++) {
                int from = node[i];
                if (from < 0 || state.demandOf(ids[i]) == null) {
                    continue; // unplaced, or placed before this placement (a re-placed app keeps those)
                }
                CoreClass kind = t.node(from).capacity().coreClass();
                double threshold = cost(i, from) * (1 - 1e-9); // a move must gain more than rounding
                int count = 0;
                for (int p : partner[i]) {
                    if (node[p] < 0) {
                        continue;
                    }
                    for (int n : t.serverNodes(node[p])) {
                        if (n == from || t.node(n).capacity().coreClass() != kind || contains(candidates, count, n)) {
                            continue;
                        }
                        double c = cost(i, n);
                        if (c < threshold) {
                            if (count == candidates.length) {
                                candidates = Arrays.copyOf(candidates, count * 2);
                                costs = Arrays.copyOf(costs, count * 2);
                            }
                            candidates[count] = n;
                            costs[count++] = c;
                        }
                    }
                }
                if (count == 0) {
                    continue;
                }
                LoadModel.Demand d = state.demandOf(ids[i]);
                state.unassign(ids[i]);
                int to = from;
                double best = Double.POSITIVE_INFINITY;
                for (int k = 0; k < count; k++) {
                    if (costs[k] < best && ctx.constraints().check(d, candidates[k], state).ok()) {
                        best = costs[k];
                        to = candidates[k];
                    }
                }
                state.assign(d, to);
                node[i] = to;
                moved += to != from ? 1 : 0;
            }
            moves += moved;
            if (moved == 0) {
                break;
            }
        }
        return moves;
    }

    private static boolean contains(int[] a, int count, int value) {
        for (int k = 0; k < count; k++) {
            if (a[k] == value) {
                return true;
            }
        }
        return false;
    }

    /** The communication cost of instance {@code i} at node {@code at} with its placed partners. */
    private double cost(int i, int at) {
        double c = 0;
        for (int k = 0; k < partner[i].length; k++) {
            int n = node[partner[i][k]];
            if (n >= 0) {
                c += bytes[i][k] * latency(at, n);
            }
        }
        return c;
    }

    private double latency(int a, int b) {
        return HopClass.of(a == b, t.serverOf(a) == t.serverOf(b), t.rackOf(a) == t.rackOf(b),
                t.podOf(a) == t.podOf(b), t.node(a).isSmartNic(), t.node(b).isSmartNic()).relativeLatency();
    }
}
