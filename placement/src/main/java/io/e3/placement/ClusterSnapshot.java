package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cluster as a placement sees it: what each node already carries and which instances are where. Immutable;
 * {@link #with} gives the snapshot after a placement, so apps placed in order see each other's load.
 *
 * <p>A snapshot made by {@link #with} keeps its usage in an array in the cluster's node order, so that the next
 * placement on a cluster of 50,000 nodes reads it without a lookup per node, and the next {@code with} copies an array
 * rather than a map.
 */
public final class ClusterSnapshot {

    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(Map.of(), List.of());

    private final List<Assignment> assignments;
    /** The usage by node id, given or built on demand from {@link #byNode}. */
    private volatile Map<String, NodeUsage> usage;
    /** The cluster {@link #byNode} is aligned with, or null. */
    private final Cluster cluster;
    /** Usage by node index in {@code cluster.nodes()} order (null: nothing), or null. */
    private final NodeUsage[] byNode;
    private final Map<String, Integer> indexOf;

    /**
     * @param usage       per compute node id; a node not listed carries nothing
     * @param assignments instances already placed
     */
    public ClusterSnapshot(Map<String, NodeUsage> usage, List<Assignment> assignments) {
        this.usage = Collections.unmodifiableMap(new HashMap<>(usage));
        this.assignments = List.copyOf(assignments);
        this.cluster = null;
        this.byNode = null;
        this.indexOf = null;
    }

    private ClusterSnapshot(Cluster cluster, NodeUsage[] byNode, Map<String, Integer> indexOf,
                            List<Assignment> assignments) {
        this.cluster = cluster;
        this.byNode = byNode;
        this.indexOf = indexOf;
        this.assignments = assignments;
    }

    /** What each node carries, by node id; a node not listed carries nothing. */
    public Map<String, NodeUsage> usage() {
        Map<String, NodeUsage> u = usage;
        if (u == null) {
            Map<String, NodeUsage> built = new HashMap<>();
            List<ComputeNode> nodes = cluster.nodes();
            for (int i = 0; i < byNode.length; i++) {
                if (byNode[i] != null) {
                    built.put(nodes.get(i).id(), byNode[i]);
                }
            }
            u = Collections.unmodifiableMap(built);
            usage = u;
        }
        return u;
    }

    /** Instances already placed. */
    public List<Assignment> assignments() {
        return assignments;
    }

    public NodeUsage usageOf(String nodeId) {
        if (byNode != null) {
            Integer i = indexOf.get(nodeId);
            return i == null || byNode[i] == null ? NodeUsage.NONE : byNode[i];
        }
        return usage.getOrDefault(nodeId, NodeUsage.NONE);
    }

    /** Whether {@link #usageAt} is constant time for {@code cluster}: this snapshot was made for it by {@link #with}. */
    public boolean alignedWith(Cluster cluster) {
        return byNode != null && this.cluster == cluster;
    }

    /**
     * What node number {@code index} of {@code cluster} (in {@code cluster.nodes()} order) carries: constant time when
     * this snapshot was made for that very cluster by {@link #with}.
     */
    public NodeUsage usageAt(Cluster cluster, int index) {
        if (byNode != null && this.cluster == cluster) {
            return byNode[index] == null ? NodeUsage.NONE : byNode[index];
        }
        return usageOf(cluster.nodes().get(index).id());
    }

    /**
     * This snapshot with the placement {@code result} of {@code app} on {@code cluster} added: each assignment's
     * reserved cores and memory, and the bandwidth and modelled active power its expected load ({@link LoadModel})
     * takes on its node.
     */
    public ClusterSnapshot with(Cluster cluster, AppSpec app, PlacementResult result) {
        Objects.requireNonNull(cluster, "cluster");
        NodeUsage[] next;
        Map<String, Integer> index;
        if (byNode != null && this.cluster == cluster) {
            next = byNode.clone();
            index = indexOf;
        } else {
            List<ComputeNode> nodes = cluster.nodes();
            next = new NodeUsage[nodes.size()];
            index = new HashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                index.put(nodes.get(i).id(), i);
                NodeUsage u = usageOf(nodes.get(i).id());
                next[i] = u == NodeUsage.NONE ? null : u;
            }
        }
        LoadModel load = new LoadModel(app);
        for (Assignment a : result.assignments()) {
            Integer i = index.get(a.nodeId());
            if (i == null) {
                throw new IllegalArgumentException("no compute node '" + a.nodeId() + "' in cluster " + cluster.name());
            }
            LoadModel.Demand d = load.demandOf(a.instance());
            NodeUsage before = next[i] == null ? NodeUsage.NONE : next[i];
            next[i] = before.plus(a.reserved().cores(), a.reserved().memoryMiB(), d.bandwidthGbps(),
                    d.activeWattsOn(cluster.nodes().get(i).capacity().coreClass()));
        }
        List<Assignment> all = new ArrayList<>(assignments.size() + result.assignments().size());
        all.addAll(assignments);
        all.addAll(result.assignments());
        return new ClusterSnapshot(cluster, next, index, Collections.unmodifiableList(all));
    }
}
