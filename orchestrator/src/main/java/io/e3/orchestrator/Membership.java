package io.e3.orchestrator;

import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Node membership of the failover manager (§5.4.5): a node that sends no heartbeat for
 * {@link OrchestratorSettings#failureTimeoutMillis} is declared down. The fault domain is the server: SmartNICs share
 * their host's power supply, so a host that goes down takes its SmartNICs with it, while a SmartNIC alone going down
 * leaves its host up. A node that sends a heartbeat again is back up.
 *
 * <p>State is kept in arrays indexed by {@link NodeIndex} number, so recording a heartbeat is two array writes and no
 * allocation. Not thread-safe.
 */
public final class Membership {

    private final NodeIndex nodes;
    private final long timeoutMillis;
    private final long[] lastSeen;
    private final boolean[] up;
    /**
     * Each node's server's host, as a node index (a host's is its own). {@link Cluster#nodes()} lists each server's
     * nodes together, host first, so a SmartNIC's host is the last host before it.
     */
    private final int[] hostOf;

    /** Every node starts up, as if heard from at {@code startMillis}. */
    public Membership(Cluster cluster, OrchestratorSettings settings, long startMillis) {
        this(NodeIndex.of(cluster), settings, startMillis);
    }

    /** Every node of {@code nodes} starts up, as if heard from at {@code startMillis}. */
    public Membership(NodeIndex nodes, OrchestratorSettings settings, long startMillis) {
        this.nodes = nodes;
        this.timeoutMillis = settings.failureTimeoutMillis();
        lastSeen = new long[nodes.size()];
        Arrays.fill(lastSeen, startMillis);
        up = new boolean[nodes.size()];
        Arrays.fill(up, true);
        hostOf = new int[nodes.size()];
        for (int n = 0; n < nodes.size(); n++) {
            hostOf[n] = nodes.node(n).isSmartNic() ? hostOf[n - 1] : n;
        }
    }

    /** Records a heartbeat; returns the event if this brings the node back up. */
    public List<NodeEvent> heartbeat(String nodeId, long nowMillis) {
        return heartbeat(nodes.indexOf(nodeId), nowMillis);
    }

    /**
     * Records a heartbeat from the node numbered {@code node} by {@link NodeIndex} ({@link NodeIndex#UNKNOWN} for a node
     * not in the cluster, which changes nothing); returns the event if this brings the node back up. Allocates nothing
     * while the node was up.
     */
    public List<NodeEvent> heartbeat(int node, long nowMillis) {
        if (node == NodeIndex.UNKNOWN) {
            return List.of();
        }
        lastSeen[node] = nowMillis;
        if (up[node] || hostOf[node] != node && !up[hostOf[node]]) {
            // A SmartNIC is not back before its host: they share the server's power supply.
            return List.of();
        }
        up[node] = true;
        return List.of(new NodeEvent(nodes.node(node).id(), nodes.node(node).serverId(), true, "heartbeats again"));
    }

    /** Declares down the nodes not heard from within the timeout, with their server's SmartNICs if a host. */
    public List<NodeEvent> check(long nowMillis) {
        List<NodeEvent> events = new ArrayList<>();
        // Node order is server by server, host first: a host is settled before its SmartNICs are looked at.
        for (int n = 0; n < up.length; n++) {
            if (!up[n]) {
                continue;
            }
            int host = hostOf[n];
            ComputeNode node = nodes.node(n);
            if (host != n && !up[host]) {
                up[n] = false;
                events.add(new NodeEvent(node.id(), node.serverId(), false, "its server's host "
                        + nodes.node(host).id() + " is down"));
            } else if (nowMillis - lastSeen[n] > timeoutMillis) {
                up[n] = false;
                events.add(new NodeEvent(node.id(), node.serverId(), false, "no heartbeat for "
                        + (nowMillis - lastSeen[n]) + " ms"));
            }
        }
        return events;
    }

    public boolean isUp(String nodeId) {
        int node = nodes.indexOf(nodeId);
        return node != NodeIndex.UNKNOWN && up[node];
    }
}
