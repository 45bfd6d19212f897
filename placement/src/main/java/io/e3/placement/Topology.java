package io.e3.placement;

import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.NodeKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * An index of a cluster by integers, for the placement loops: each compute node, server, rack and pod has a number,
 * and the nodes of each are listed by kind. Immutable.
 */
public final class Topology {

    /** One level of Algorithm 3's hierarchical topology: candidate nodes, and which of them belong to the level. */
    public record Level(String name, int[] candidates, IntPredicate member) {
    }

    private final Cluster cluster;
    private final ComputeNode[] nodes;
    private final int[] serverOf;
    private final int[] rackOf;
    private final int[] podOf;
    private final int[][] serverNodes;
    private final int[][] rackNics;
    private final int[][] rackHosts;
    private final int[][] podNics;
    private final int[][] podHosts;
    private final int[] allNics;
    private final int[] allHosts;
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final double idleWatts;
    private final double farthestHop;

    public Topology(Cluster cluster) {
        this.cluster = cluster;
        List<ComputeNode> list = cluster.nodes();
        nodes = list.toArray(ComputeNode[]::new);
        serverOf = new int[nodes.length];
        rackOf = new int[nodes.length];
        podOf = new int[nodes.length];
        Map<String, Integer> servers = new HashMap<>();
        Map<String, Integer> racks = new HashMap<>();
        Map<String, Integer> pods = new HashMap<>();
        for (int i = 0; i < nodes.length; i++) {
            indexOf.put(nodes[i].id(), i);
            serverOf[i] = servers.computeIfAbsent(nodes[i].serverId(), k -> servers.size());
            rackOf[i] = racks.computeIfAbsent(nodes[i].rackId(), k -> racks.size());
            podOf[i] = pods.computeIfAbsent(nodes[i].podId(), k -> pods.size());
        }
        serverNodes = group(serverOf, servers.size(), null);
        rackNics = group(rackOf, racks.size(), NodeKind.SMARTNIC);
        rackHosts = group(rackOf, racks.size(), NodeKind.HOST);
        podNics = group(podOf, pods.size(), NodeKind.SMARTNIC);
        podHosts = group(podOf, pods.size(), NodeKind.HOST);
        allNics = group(new int[nodes.length], 1, NodeKind.SMARTNIC)[0];
        allHosts = group(new int[nodes.length], 1, NodeKind.HOST)[0];
        idleWatts = cluster.idleWatts();
        farthestHop = PlacementMetrics.farthestHop(cluster);
    }

    private int[][] group(int[] key, int groups, NodeKind kind) {
        List<List<Integer>> members = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            members.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.length; i++) {
            if (kind == null || nodes[i].kind() == kind) {
                members.get(key[i]).add(i);
            }
        }
        return members.stream().map(m -> m.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    public Cluster cluster() {
        return cluster;
    }

    /** The cluster's idle power, every server's summed (modelled); kept, as it is asked once per placement. */
    public double idleWatts() {
        return idleWatts;
    }

    /** {@link PlacementMetrics#farthestHop} of the cluster, kept. */
    public double farthestHop() {
        return farthestHop;
    }

    /** {@code cached} if it indexes this very {@code cluster}, else a new index: for strategies placing app by app. */
    public static Topology reuse(Topology cached, Cluster cluster) {
        return cached != null && cached.cluster == cluster ? cached : new Topology(cluster);
    }

    public int size() {
        return nodes.length;
    }

    public ComputeNode node(int index) {
        return nodes[index];
    }

    /** The index of the node with this id, or -1. */
    public int indexOf(String nodeId) {
        return indexOf.getOrDefault(nodeId, -1);
    }

    public int serverOf(int node) {
        return serverOf[node];
    }

    /** The compute nodes of {@code node}'s server, itself included. Shared: do not write to it. */
    public int[] serverNodes(int node) {
        return serverNodes[serverOf[node]];
    }

    public int rackOf(int node) {
        return rackOf[node];
    }

    public int podOf(int node) {
        return podOf[node];
    }

    /**
     * Algorithm 3's {@code get_hierarchical_topo}: the nodes around {@code node} by communication distance, closest
     * first (§5.4.3): the node itself; the other nodes of its server (host and SmartNICs over PCIe); SmartNICs, then
     * hosts, of the other servers in its rack; SmartNICs, then hosts, in the other racks of its pod; SmartNICs, then
     * hosts, in other pods. Every node of the cluster is in exactly one level.
     */
    public List<Level> levels(int node) {
        int s = serverOf[node];
        int r = rackOf[node];
        int p = podOf[node];
        return List.of(
                new Level("same node", new int[] {node}, n -> true),
                new Level("same server", serverNodes[s], n -> n != node),
                new Level("SmartNIC in rack", rackNics[r], n -> serverOf[n] != s),
                new Level("host in rack", rackHosts[r], n -> serverOf[n] != s),
                new Level("SmartNIC in pod", podNics[p], n -> rackOf[n] != r),
                new Level("host in pod", podHosts[p], n -> rackOf[n] != r),
                new Level("SmartNIC beyond pod", allNics, n -> podOf[n] != p),
                new Level("host beyond pod", allHosts, n -> podOf[n] != p));
    }
}
