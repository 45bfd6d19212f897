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
 * <p>Against a cluster, a snapshot is read as an array of usage in the cluster's node order with the cluster-wide
 * totals beside it ({@link Aligned}). A snapshot made by {@link #with} carries that array, and the next {@code with}
 * copies the array and updates the totals for the nodes the placement touched; a snapshot made from a map builds it
 * once per cluster on first use. So starting a placement and reporting on it costs the same on a cluster of 50,000
 * nodes as on one of 50.
 */
public final class ClusterSnapshot {

    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(Map.of(), List.of());

    /**
     * Cluster-wide figures of a snapshot, over the nodes that carry a reservation (cores or memory).
     *
     * @param activeWatts    modelled active power of everything placed, summed over nodes
     * @param nodesUsed      nodes with cores or memory reserved
     * @param utilisationSum the sum over those nodes of reserved cores over capacity
     * @param maxUtilisation the largest reserved cores over capacity of any node, 0 if none
     */
    public record Totals(double activeWatts, int nodesUsed, double utilisationSum, double maxUtilisation) {

        static final Totals NONE = new Totals(0, 0, 0, 0);

        /** These totals with {@code node}'s usage changed from {@code before} to {@code after}, which is no smaller. */
        Totals replacing(ComputeNode node, NodeUsage before, NodeUsage after) {
            int used = nodesUsed;
            double sum = utilisationSum;
            if (isUsed(before)) {
                used--;
                sum -= utilisation(node, before);
            }
            double max = maxUtilisation;
            if (isUsed(after)) {
                used++;
                double u = utilisation(node, after);
                sum += u;
                max = Math.max(max, u);
            }
            return new Totals(activeWatts - before.activeWatts() + after.activeWatts(), used, sum, max);
        }

        /** Whether a node with {@code usage} counts as used: any cores or memory reserved. */
        public static boolean isUsed(NodeUsage usage) {
            return usage.cores() > 1e-12 || usage.memoryMiB() > 0;
        }

        /** Reserved cores over the node's cores. */
        public static double utilisation(ComputeNode node, NodeUsage usage) {
            return usage.cores() / node.capacity().cores();
        }
    }

    /**
     * The snapshot read against one cluster.
     *
     * @param cluster the cluster, compared by identity
     * @param byNode  usage by node index in {@code cluster.nodes()} order; null where a node carries nothing. Shared:
     *                never written after construction
     * @param indexOf node id to index
     * @param totals  the cluster-wide figures
     */
    record Aligned(Cluster cluster, NodeUsage[] byNode, Map<String, Integer> indexOf, Totals totals) {

        NodeUsage at(int index) {
            NodeUsage u = byNode[index];
            return u == null ? NodeUsage.NONE : u;
        }
    }

    private final List<Assignment> assignments;
    /** The assignments by app, built on demand. */
    private volatile Map<String, List<Assignment>> byApp;
    /** The usage by node id, given or built on demand from {@link #aligned}. */
    private volatile Map<String, NodeUsage> usage;
    /** The usage read against the last cluster asked for, or null. */
    private volatile Aligned aligned;

    /**
     * @param usage       per compute node id; a node not listed carries nothing
     * @param assignments instances already placed
     */
    public ClusterSnapshot(Map<String, NodeUsage> usage, List<Assignment> assignments) {
        this.usage = Collections.unmodifiableMap(new HashMap<>(usage));
        this.assignments = List.copyOf(assignments);
    }

    private ClusterSnapshot(Aligned aligned, List<Assignment> assignments, Map<String, List<Assignment>> byApp) {
        this.aligned = aligned;
        this.assignments = assignments;
        this.byApp = byApp;
    }

    /** What each node carries, by node id; a node not listed carries nothing. */
    public Map<String, NodeUsage> usage() {
        Map<String, NodeUsage> u = usage;
        if (u == null) {
            Aligned a = aligned;
            Map<String, NodeUsage> built = new HashMap<>();
            List<ComputeNode> nodes = a.cluster().nodes();
            for (int i = 0; i < a.byNode().length; i++) {
                if (a.byNode()[i] != null) {
                    built.put(nodes.get(i).id(), a.byNode()[i]);
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

    /** The instances of {@code app} already placed; constant time after the first call. */
    public List<Assignment> assignmentsOf(String app) {
        return byApp().getOrDefault(app, List.of());
    }

    private Map<String, List<Assignment>> byApp() {
        Map<String, List<Assignment>> m = byApp;
        if (m == null) {
            Map<String, List<Assignment>> built = new HashMap<>();
            for (Assignment a : assignments) {
                built.computeIfAbsent(a.instance().app(), k -> new ArrayList<>()).add(a);
            }
            m = Collections.unmodifiableMap(built);
            byApp = m;
        }
        return m;
    }

    public NodeUsage usageOf(String nodeId) {
        Map<String, NodeUsage> u = usage;
        if (u != null) {
            return u.getOrDefault(nodeId, NodeUsage.NONE);
        }
        Aligned a = aligned;
        Integer i = a.indexOf().get(nodeId);
        return i == null ? NodeUsage.NONE : a.at(i);
    }

    /** The cluster-wide figures of this snapshot on {@code cluster}; constant time after the first call. */
    public Totals totals(Cluster cluster) {
        return aligned(cluster).totals();
    }

    /**
     * This snapshot read against {@code cluster}: built on the first call for a cluster (nodes the snapshot lists
     * that the cluster lacks are ignored), then kept.
     */
    Aligned aligned(Cluster cluster) {
        Objects.requireNonNull(cluster, "cluster");
        Aligned a = aligned;
        if (a != null && a.cluster() == cluster) {
            return a;
        }
        List<ComputeNode> nodes = cluster.nodes();
        NodeUsage[] byNode = new NodeUsage[nodes.size()];
        Map<String, Integer> index = new HashMap<>();
        Totals totals = Totals.NONE;
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).id(), i);
            NodeUsage u = usageOf(nodes.get(i).id());
            if (u != NodeUsage.NONE) {
                byNode[i] = u;
                totals = totals.replacing(nodes.get(i), NodeUsage.NONE, u);
            }
        }
        a = new Aligned(cluster, byNode, Collections.unmodifiableMap(index), totals);
        if (usage == null) {
            usage(); // keep the by-id view of the cluster this snapshot was made for before replacing it
        }
        aligned = a;
        return a;
    }

    /**
     * This snapshot with the placement {@code result} of {@code app} on {@code cluster} added: each assignment's
     * reserved cores and memory, and the bandwidth and modelled active power its expected load ({@link LoadModel})
     * takes on its node. The new snapshot describes {@code cluster}'s nodes only: usage this one lists for nodes the
     * cluster lacks is not carried over.
     */
    public ClusterSnapshot with(Cluster cluster, AppSpec app, PlacementResult result) {
        Aligned before = aligned(cluster);
        NodeUsage[] next = before.byNode().clone();
        Totals totals = before.totals();
        List<ComputeNode> nodes = cluster.nodes();
        LoadModel load = new LoadModel(app);
        for (Assignment a : result.assignments()) {
            Integer i = before.indexOf().get(a.nodeId());
            if (i == null) {
                throw new IllegalArgumentException("no compute node '" + a.nodeId() + "' in cluster " + cluster.name());
            }
            LoadModel.Demand d = load.demandOf(a.instance());
            NodeUsage was = next[i] == null ? NodeUsage.NONE : next[i];
            next[i] = was.plus(a.reserved().cores(), a.reserved().memoryMiB(), d.bandwidthGbps(),
                    d.activeWattsOn(nodes.get(i).capacity().coreClass()));
            totals = totals.replacing(nodes.get(i), was, next[i]);
        }
        List<Assignment> all = new ArrayList<>(assignments.size() + result.assignments().size());
        all.addAll(assignments);
        all.addAll(result.assignments());
        Map<String, List<Assignment>> apps = new HashMap<>(byApp());
        List<Assignment> ofApp = new ArrayList<>(apps.getOrDefault(app.name(), List.of()));
        ofApp.addAll(result.assignments());
        apps.put(app.name(), Collections.unmodifiableList(ofApp));
        return new ClusterSnapshot(new Aligned(cluster, next, before.indexOf(), totals),
                Collections.unmodifiableList(all), Collections.unmodifiableMap(apps));
    }

    /**
     * This snapshot with the nodes {@code nodeIds} of {@code cluster} shown full (every core, MiB and Gbps reserved),
     * so that no placement puts anything on them: nodes declared down, or ones a failover or migration must avoid.
     * What they carried stays listed, so the rest of the cluster's load is unchanged. Unknown ids are ignored.
     */
    public ClusterSnapshot withUnavailable(Cluster cluster, java.util.Collection<String> nodeIds) {
        if (nodeIds.isEmpty()) {
            return this;
        }
        Aligned before = aligned(cluster);
        NodeUsage[] next = before.byNode().clone();
        Totals totals = before.totals();
        List<ComputeNode> nodes = cluster.nodes();
        for (String id : nodeIds) {
            Integer i = before.indexOf().get(id);
            if (i == null) {
                continue;
            }
            ComputeNode n = nodes.get(i);
            NodeUsage was = next[i] == null ? NodeUsage.NONE : next[i];
            next[i] = new NodeUsage(Math.max(was.cores(), n.capacity().cores()),
                    Math.max(was.memoryMiB(), n.capacity().memoryMiB()),
                    Math.max(was.bandwidthGbps(), n.capacity().bandwidthGbps()), was.activeWatts(), was.utilisation(),
                    was.outstandingRequests());
            totals = totals.replacing(n, was, next[i]);
        }
        return new ClusterSnapshot(new Aligned(cluster, next, before.indexOf(), totals), assignments, byApp);
    }
}
