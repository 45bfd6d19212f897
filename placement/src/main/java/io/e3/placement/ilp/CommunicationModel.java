package io.e3.placement.ilp;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import io.e3.model.topology.HopClass;
import io.e3.model.topology.NodeKind;
import io.e3.placement.Topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * The communication cost of one caller-callee pair in the ILP, exactly as {@link HopClass} prices it, with a number of
 * constraints linear in the cluster's size rather than in its square.
 *
 * <p>Two exact formulations. On small inputs, the pairwise one: a variable z &gt;= x[i][a] + x[j][b] - 1 for every
 * pair of nodes (a, b) the two may use, priced at the hop's latency; its relaxation is tight and small clusters solve
 * fast, but it grows with the square of the nodes. Beyond {@value #PAIRWISE_LIMIT} such variables, the hierarchical
 * one below, which grows linearly.
 *
 * <p>Hierarchical: a pair on two placed nodes costs CROSS_POD, less what sharing each level of the hierarchy saves:
 * <pre>
 *   cost/traffic = CROSS_POD · both
 *                - (CROSS_POD - CROSS_RACK)      · samePod
 *                - Σ_kinds (CROSS_RACK - L_rack(k)) · sameRack_k
 *                - Σ_kinds (L_rack(k) - L_server(k)) · sameServer_k
 *                - Σ_kinds  L_server(k)              · sameNode_k
 * </pre>
 * where k is the pair of node kinds (host or SmartNIC at each end), L_rack(k) the latency of two servers of one rack
 * and L_server(k) that of two nodes of one server. The telescoping sum leaves exactly the hop class's latency. Each
 * "same" variable is a saving the minimiser wants, so it needs only upper bounds: at most 1 - G_i(g) + G_j(g) for every
 * group g (pod, rack, server, node) of that level that i may use, where G_i(g) is "i is in g"; at most "both placed";
 * and, per kind pair, at most "i is of kind k_i" and "j is of kind k_j". So a saving can be claimed only where it is
 * real, and the cost is never underestimated; it is also reachable, since every true saving may be claimed.
 */
final class CommunicationModel {

    private enum Level {
        POD, RACK, SERVER, NODE
    }

    private final CpModel model;
    private final Topology topology;
    private final long pairwiseLimit;

    /** @param pairwiseLimit node pairs per instance pair up to which the pairwise formulation is used */
    CommunicationModel(CpModel model, Topology topology, long pairwiseLimit) {
        this.model = model;
        this.topology = topology;
        this.pairwiseLimit = pairwiseLimit;
    }

    /** A new 0-1 variable, hinted 0: consistent with the "nothing placed" start. */
    private BoolVar newVar(String name) {
        BoolVar v = model.newBoolVar(name);
        model.addHint(v, false);
        return v;
    }

    /** Latency of two nodes of kinds a, b that share the given level but not the one below it. */
    private static double latency(Level shared, NodeKind a, NodeKind b) {
        boolean nicA = a == NodeKind.SMARTNIC;
        boolean nicB = b == NodeKind.SMARTNIC;
        return switch (shared) {
            case POD -> HopClass.CROSS_RACK.relativeLatency();
            case RACK -> HopClass.of(false, false, true, true, nicA, nicB).relativeLatency();
            case SERVER -> a == NodeKind.HOST && b == NodeKind.HOST
                    ? 0 // one host per server: two hosts on one server are one node
                    : HopClass.of(false, true, true, true, nicA, nicB).relativeLatency();
            case NODE -> 0;
        };
    }

    /** Latency of the level above {@code level} for kinds a, b (what sharing {@code level} improves on). */
    private static double above(Level level, NodeKind a, NodeKind b) {
        return switch (level) {
            case POD -> HopClass.CROSS_POD.relativeLatency();
            case RACK -> latency(Level.POD, a, b);
            case SERVER -> latency(Level.RACK, a, b);
            case NODE -> latency(Level.SERVER, a, b);
        };
    }

    /** Above this many node pairs for one instance pair, the hierarchical formulation is used. */
    static final long PAIRWISE_LIMIT = 500_000;

    /** How many linear terms {@link #add} will write for a pair, to size the model before building it. */
    static long terms(int[] nodesOfI, int[] nodesOfJ, long pairwiseLimit) {
        long pairwise = 3L * nodesOfI.length * nodesOfJ.length;
        return pairwise <= pairwiseLimit ? pairwise : 4L * (nodesOfI.length + nodesOfJ.length) + 40;
    }

    /**
     * Adds the cost of traffic between instances i and j to {@code objective}.
     *
     * @param nodesI   the nodes i may use, and {@code xI} their variables
     * @param nodesJ   the nodes j may use, and {@code xJ} their variables
     * @param placedI  "i is placed" (1 - unplaced)
     * @param placedJ  "j is placed"
     * @param traffic  the pair's bytes per second
     * @param scale    factor turning latency × traffic into integer objective units
     */
    void add(int[] nodesI, BoolVar[] xI, LinearExpr placedI, int[] nodesJ, BoolVar[] xJ, LinearExpr placedJ,
             double traffic, double scale, LinearExprBuilder objective) {
        if (3L * nodesI.length * nodesJ.length <= pairwiseLimit) {
            addPairwise(nodesI, xI, nodesJ, xJ, traffic, scale, objective);
        } else {
            addHierarchical(nodesI, xI, placedI, nodesJ, xJ, placedJ, traffic, scale, objective);
        }
    }

    private void addPairwise(int[] nodesI, BoolVar[] xI, int[] nodesJ, BoolVar[] xJ, double traffic, double scale,
                             LinearExprBuilder objective) {
        for (int a = 0; a < nodesI.length; a++) {
            for (int b = 0; b < nodesJ.length; b++) {
                long cost = Math.round(traffic * scale
                        * HopClass.between(topology.node(nodesI[a]), topology.node(nodesJ[b])).relativeLatency());
                if (cost == 0) {
                    continue;
                }
                BoolVar z = newVar("z");
                model.addGreaterOrEqual(LinearExpr.newBuilder().add(z).addTerm(xI[a], -1).addTerm(xJ[b], -1), -1);
                objective.addTerm(z, cost);
            }
        }
    }

    private void addHierarchical(int[] nodesI, BoolVar[] xI, LinearExpr placedI, int[] nodesJ, BoolVar[] xJ,
                                 LinearExpr placedJ, double traffic, double scale, LinearExprBuilder objective) {
        BoolVar both = newVar("both");
        model.addGreaterOrEqual(LinearExpr.newBuilder().add(both).add(LinearExpr.term(placedI, -1))
                .add(LinearExpr.term(placedJ, -1)), -1);
        objective.addTerm(both, Math.round(traffic * HopClass.CROSS_POD.relativeLatency() * scale));

        Map<NodeKind, LinearExpr> kindI = kinds(nodesI, xI);
        Map<NodeKind, LinearExpr> kindJ = kinds(nodesJ, xJ);
        for (Level level : Level.values()) {
            BoolVar same = sameGroup(level, nodesI, xI, placedI, nodesJ, xJ, placedJ);
            for (NodeKind a : NodeKind.values()) {
                for (NodeKind b : NodeKind.values()) {
                    long saving = Math.round(traffic * (above(level, a, b) - latency(level, a, b)) * scale);
                    if (saving <= 0 || !kindI.containsKey(a) || !kindJ.containsKey(b)) {
                        continue;
                    }
                    BoolVar v = newVar("save");
                    model.addLessOrEqual(LinearExpr.newBuilder().add(v).addTerm(same, -1), 0);
                    model.addLessOrEqual(LinearExpr.newBuilder().add(v).add(LinearExpr.term(kindI.get(a), -1)), 0);
                    model.addLessOrEqual(LinearExpr.newBuilder().add(v).add(LinearExpr.term(kindJ.get(b), -1)), 0);
                    objective.addTerm(v, -saving);
                }
            }
        }
    }

    /** A variable that can be 1 only if i and j are both placed in one group of {@code level}. */
    private BoolVar sameGroup(Level level, int[] nodesI, BoolVar[] xI, LinearExpr placedI, int[] nodesJ,
                              BoolVar[] xJ, LinearExpr placedJ) {
        BoolVar same = newVar("same");
        model.addLessOrEqual(LinearExpr.newBuilder().add(same).add(LinearExpr.term(placedI, -1)), 0);
        model.addLessOrEqual(LinearExpr.newBuilder().add(same).add(LinearExpr.term(placedJ, -1)), 0);
        IntUnaryOperator group = switch (level) {
            case POD -> topology::podOf;
            case RACK -> topology::rackOf;
            case SERVER -> topology::serverOf;
            case NODE -> n -> n;
        };
        Map<Integer, LinearExprBuilder> inGroupJ = new HashMap<>();
        for (int b = 0; b < nodesJ.length; b++) {
            inGroupJ.computeIfAbsent(group.applyAsInt(nodesJ[b]), g -> LinearExpr.newBuilder()).add(xJ[b]);
        }
        Map<Integer, List<BoolVar>> inGroupI = new HashMap<>();
        for (int a = 0; a < nodesI.length; a++) {
            inGroupI.computeIfAbsent(group.applyAsInt(nodesI[a]), g -> new ArrayList<>()).add(xI[a]);
        }
        // same <= 1 - G_i(g) + G_j(g) for every group i may use.
        inGroupI.forEach((g, vars) -> {
            LinearExprBuilder c = LinearExpr.newBuilder().add(same);
            vars.forEach(x -> c.addTerm(x, 1));
            LinearExprBuilder j = inGroupJ.get(g);
            if (j != null) {
                c.add(LinearExpr.term(j, -1));
            }
            model.addLessOrEqual(c, 1);
        });
        return same;
    }

    /** For each node kind an instance may use, "it is on a node of that kind". */
    private Map<NodeKind, LinearExpr> kinds(int[] nodes, BoolVar[] x) {
        Map<NodeKind, LinearExprBuilder> sums = new HashMap<>();
        for (int a = 0; a < nodes.length; a++) {
            sums.computeIfAbsent(topology.node(nodes[a]).kind(), k -> LinearExpr.newBuilder()).add(x[a]);
        }
        Map<NodeKind, LinearExpr> kinds = new HashMap<>();
        sums.forEach((kind, sum) -> kinds.put(kind, sum.build()));
        return kinds;
    }
}
