package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.energy.EnergyModel;
import io.e3.model.placement.Assignment;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.HopClass;
import io.e3.model.topology.NodeKind;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quality figures of a placement, the same for every strategy.
 *
 * <ul>
 *   <li>{@code communicationCost}: for every pair of caller and callee instances ({@link TrafficPairs}), its traffic
 *   times the relative latency of the hop between the two nodes ({@link HopClass}), summed; in MB/s × relative round
 *   trip. A pair with an end left unplaced costs as if it crossed the cluster's farthest hop, so leaving an instance
 *   out never lowers the cost. Lower is better; 0 when every caller sits with its callees.</li>
 *   <li>{@code placed}, {@code unplaced}: instances of the app placed and left out.</li>
 *   <li>{@code maxUtilisation}, {@code meanUtilisation}: reserved cores over capacity, over the nodes that hold
 *   anything, in [0, 1].</li>
 *   <li>{@code nodesUsed}: nodes holding at least one instance.</li>
 *   <li>{@code requestsPerSecond}: client requests per second the app serves as placed
 *   ({@link LoadModel#servedRequestsPerSecond}).</li>
 *   <li>{@code modelledActiveWatts}: the active power of this app's expected load where it was placed
 *   ({@link EnergyModel}, modelled).</li>
 *   <li>{@code modelledPowerWatts}: the whole cluster's wall power: every server's idle power plus the active power of
 *   everything placed on it, earlier apps included (modelled).</li>
 *   <li>{@code modelledRequestsPerJoule}: the app's requests per second over its power, its active power plus the
 *   cluster's idle power in proportion to its share of the active power
 *   ({@link EnergyModel#appRequestsPerJoule}, modelled); for an app alone on a cluster, throughput over cluster wall
 *   power, as §5.6 reports it.</li>
 * </ul>
 */
public final class PlacementMetrics {

    private PlacementMetrics() {
    }

    /**
     * The figures for {@code app} placed as {@code assignments} (this app's own) on a cluster whose final reservations
     * are in {@code state}, with its expected load from {@code load}.
     */
    public static Map<String, Double> of(AppSpec app, List<Assignment> assignments, PlacementState state,
                                         LoadModel load) {
        Map<String, Double> m = new LinkedHashMap<>();
        Topology t = state.topology();
        m.put("communicationCost", communicationCost(t, app, assignments));
        m.put("placed", (double) assignments.size());
        m.put("unplaced", (double) (app.instanceCount() - assignments.size()));
        ClusterSnapshot.Totals totals = state.totals(); // kept up to date, not summed over every node
        double clusterActive = totals.activeWatts();
        m.put("maxUtilisation", totals.maxUtilisation());
        m.put("meanUtilisation", totals.nodesUsed() == 0 ? 0 : totals.utilisationSum() / totals.nodesUsed());
        m.put("nodesUsed", (double) totals.nodesUsed());
        double appActive = 0;
        Map<String, Integer> placedPrimaries = new HashMap<>();
        for (Assignment a : assignments) {
            ComputeNode node = t.node(t.indexOf(a.nodeId()));
            appActive += load.demandOf(a.instance()).activeWattsOn(node.capacity().coreClass());
            if (!a.instance().isBackup()) {
                placedPrimaries.merge(a.instance().service(), 1, Integer::sum);
            }
        }
        double rps = load.servedRequestsPerSecond(placedPrimaries);
        double idle = t.idleWatts();
        m.put("requestsPerSecond", rps);
        m.put("modelledActiveWatts", appActive);
        m.put("modelledPowerWatts", idle + clusterActive);
        m.put("modelledRequestsPerJoule", EnergyModel.appRequestsPerJoule(rps, appActive, clusterActive, idle));
        return m;
    }

    /** See the class comment; in MB/s × relative round trip. */
    public static double communicationCost(Cluster cluster, AppSpec app, List<Assignment> assignments) {
        return communicationCost(new Topology(cluster), app, assignments);
    }

    /** {@link #communicationCost(Cluster, AppSpec, List)} over an index of the cluster built before. */
    public static double communicationCost(Topology topology, AppSpec app, List<Assignment> assignments) {
        Map<String, ComputeNode> nodeOf = new HashMap<>();
        for (Assignment a : assignments) {
            int i = topology.indexOf(a.nodeId());
            if (i < 0) {
                throw new IllegalArgumentException("no compute node '" + a.nodeId() + "' in cluster "
                        + topology.cluster().name());
            }
            nodeOf.put(a.instance().id(), topology.node(i));
        }
        double farthest = topology.farthestHop();
        double cost = 0;
        for (TrafficPairs.Pair p : TrafficPairs.of(app)) {
            ComputeNode from = nodeOf.get(p.from());
            ComputeNode to = nodeOf.get(p.to());
            double latency = from != null && to != null ? HopClass.between(from, to).relativeLatency() : farthest;
            cost += p.bytesPerSecond() * latency;
        }
        return cost / 1e6;
    }

    /**
     * The relative latency of the farthest hop between two nodes of {@code cluster}, and at least a host-to-host hop
     * through the ToR: what a pair with an unplaced end is charged.
     */
    public static double farthestHop(Cluster cluster) {
        long pods = cluster.racks().stream().map(r -> r.podId()).distinct().count();
        if (pods > 1) {
            return HopClass.CROSS_POD.relativeLatency();
        }
        if (cluster.racks().size() > 1) {
            return HopClass.CROSS_RACK.relativeLatency();
        }
        return Math.max(HopClass.HOST_TOR.relativeLatency(),
                cluster.count(NodeKind.HOST) > 0 ? 0 : HopClass.SMARTNIC_TOR.relativeLatency());
    }
}
