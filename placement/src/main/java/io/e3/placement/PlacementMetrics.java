package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.placement.Assignment;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.HopClass;
import io.e3.model.topology.Server;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quality figures of a placement, the same for every strategy.
 *
 * <ul>
 *   <li>{@code communicationCost}: for every pair of caller and callee instances ({@link TrafficPairs}), its
 *   traffic times the relative latency of the hop between the two nodes ({@link HopClass}), summed; in MB/s × relative round trip. Lower is better; 0 when
 *   every caller sits with its callees.</li>
 *   <li>{@code maxUtilisation}, {@code meanUtilisation}: reserved cores over capacity, over the nodes that hold
 *   anything, in [0, 1].</li>
 *   <li>{@code nodesUsed}: nodes holding at least one instance.</li>
 *   <li>{@code modelledPowerWatts}: the cluster's power under the linear model P = idle + (peak - idle) × u per
 *   server, u = reserved over total cores of the server (modelled, not measured).</li>
 * </ul>
 */
public final class PlacementMetrics {

    private PlacementMetrics() {
    }

    /**
     * The figures for {@code app} placed as {@code assignments} (only the app's own are used for communication) on a
     * cluster whose final reservations are in {@code state}.
     */
    public static Map<String, Double> of(AppSpec app, List<Assignment> assignments, PlacementState state) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("communicationCost", communicationCost(state.topology().cluster(), app, assignments));
        double max = 0;
        double sum = 0;
        int used = 0;
        Topology t = state.topology();
        for (int n = 0; n < t.size(); n++) {
            double reserved = t.node(n).capacity().cores() - state.freeCores(n);
            if (reserved > 1e-12 || state.freeMemoryMiB(n) < t.node(n).capacity().memoryMiB()) {
                double u = reserved / t.node(n).capacity().cores();
                max = Math.max(max, u);
                sum += u;
                used++;
            }
        }
        m.put("maxUtilisation", max);
        m.put("meanUtilisation", used == 0 ? 0 : sum / used);
        m.put("nodesUsed", (double) used);
        m.put("modelledPowerWatts", modelledPowerWatts(state));
        return m;
    }

    /** See the class comment; in MB/s × relative round trip. Pairs with an end unplaced cost nothing. */
    public static double communicationCost(Cluster cluster, AppSpec app, List<Assignment> assignments) {
        Map<String, ComputeNode> nodeOf = new HashMap<>();
        for (Assignment a : assignments) {
            nodeOf.put(a.instance().id(), cluster.node(a.nodeId()).orElseThrow());
        }
        double cost = 0;
        for (TrafficPairs.Pair p : TrafficPairs.of(app)) {
            ComputeNode from = nodeOf.get(p.from());
            ComputeNode to = nodeOf.get(p.to());
            if (from != null && to != null) {
                cost += p.bytesPerSecond() * HopClass.between(from, to).relativeLatency();
            }
        }
        return cost / 1e6;
    }

    private static double modelledPowerWatts(PlacementState state) {
        Topology t = state.topology();
        Map<String, double[]> coresOfServer = new HashMap<>(); // server id -> {reserved, capacity}
        for (int n = 0; n < t.size(); n++) {
            double[] c = coresOfServer.computeIfAbsent(t.node(n).serverId(), k -> new double[2]);
            c[0] += t.node(n).capacity().cores() - state.freeCores(n);
            c[1] += t.node(n).capacity().cores();
        }
        double watts = 0;
        for (Server s : t.cluster().servers()) {
            double[] c = coresOfServer.get(s.id());
            double u = Math.min(1, c[0] / c[1]);
            watts += s.type().idleWatts() + (s.type().peakWatts() - s.type().idleWatts()) * u;
        }
        return watts;
    }
}
