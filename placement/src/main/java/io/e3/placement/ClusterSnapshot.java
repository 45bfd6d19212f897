package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as a placement sees it: what each node already carries and which instances are where. Immutable;
 * {@link #with} gives the snapshot after a placement, so apps placed in order see each other's load.
 *
 * @param usage       per compute node id; a node not listed carries nothing
 * @param assignments instances already placed
 */
public record ClusterSnapshot(Map<String, NodeUsage> usage, List<Assignment> assignments) {

    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(Map.of(), List.of());

    public ClusterSnapshot {
        usage = Map.copyOf(usage);
        assignments = List.copyOf(assignments);
    }

    public NodeUsage usageOf(String nodeId) {
        return usage.getOrDefault(nodeId, NodeUsage.NONE);
    }

    /**
     * This snapshot with the placement {@code result} of {@code app} on {@code cluster} added: each assignment's
     * reserved cores and memory, and the bandwidth and modelled active power its expected load ({@link LoadModel})
     * takes on its node.
     */
    public ClusterSnapshot with(Cluster cluster, AppSpec app, PlacementResult result) {
        LoadModel load = new LoadModel(app);
        Map<String, NodeUsage> next = new HashMap<>(usage);
        for (Assignment a : result.assignments()) {
            ComputeNode node = cluster.node(a.nodeId()).orElseThrow(() -> new IllegalArgumentException(
                    "no compute node '" + a.nodeId() + "' in cluster " + cluster.name()));
            LoadModel.Demand d = load.demandOf(a.instance());
            next.put(a.nodeId(), next.getOrDefault(a.nodeId(), NodeUsage.NONE).plus(a.reserved().cores(),
                    a.reserved().memoryMiB(), d.bandwidthGbps(), d.activeWattsOn(node.capacity().coreClass())));
        }
        List<Assignment> all = new ArrayList<>(assignments);
        all.addAll(result.assignments());
        return new ClusterSnapshot(next, all);
    }
}
