package io.e3.orchestrator;

import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.Server;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node membership of the failover manager (§5.4.5): a node that sends no heartbeat for
 * {@link OrchestratorSettings#failureTimeoutMillis} is declared down. The fault domain is the server: SmartNICs share
 * their host's power supply, so a host that goes down takes its SmartNICs with it, while a SmartNIC alone going down
 * leaves its host up. A node that sends a heartbeat again is back up. Not thread-safe.
 */
public final class Membership {

    private final Cluster cluster;
    private final long timeoutMillis;
    private final Map<String, Long> lastSeen = new LinkedHashMap<>();
    private final Map<String, Boolean> up = new LinkedHashMap<>();

    /** Every node starts up, as if heard from at {@code startMillis}. */
    public Membership(Cluster cluster, OrchestratorSettings settings, long startMillis) {
        this.cluster = cluster;
        this.timeoutMillis = settings.failureTimeoutMillis();
        for (ComputeNode n : cluster.nodes()) {
            lastSeen.put(n.id(), startMillis);
            up.put(n.id(), true);
        }
    }

    /** Records a heartbeat; returns the event if this brings the node back up. */
    public List<NodeEvent> heartbeat(String nodeId, long nowMillis) {
        if (!lastSeen.containsKey(nodeId)) {
            return List.of();
        }
        lastSeen.put(nodeId, nowMillis);
        List<NodeEvent> events = new ArrayList<>();
        if (!up.get(nodeId)) {
            ComputeNode n = cluster.node(nodeId).orElseThrow();
            boolean hostDown = n.isSmartNic() && !up.get(cluster.server(n.serverId()).orElseThrow().host().id());
            if (!hostDown) {
                up.put(nodeId, true);
                events.add(new NodeEvent(nodeId, n.serverId(), true, "heartbeats again"));
            }
        }
        return events;
    }

    /** Declares down the nodes not heard from within the timeout, with their server's SmartNICs if a host. */
    public List<NodeEvent> check(long nowMillis) {
        List<NodeEvent> events = new ArrayList<>();
        for (Server s : cluster.servers()) {
            String host = s.host().id();
            boolean hostSilent = up.get(host) && nowMillis - lastSeen.get(host) > timeoutMillis;
            if (hostSilent) {
                up.put(host, false);
                events.add(new NodeEvent(host, s.id(), false, "no heartbeat for " + (nowMillis - lastSeen.get(host))
                        + " ms"));
            }
            boolean hostDown = !up.get(host);
            for (ComputeNode nic : s.smartNics()) {
                if (!up.get(nic.id())) {
                    continue;
                }
                if (hostDown) {
                    up.put(nic.id(), false);
                    events.add(new NodeEvent(nic.id(), s.id(), false, "its server's host " + host + " is down"));
                } else if (nowMillis - lastSeen.get(nic.id()) > timeoutMillis) {
                    up.put(nic.id(), false);
                    events.add(new NodeEvent(nic.id(), s.id(), false, "no heartbeat for "
                            + (nowMillis - lastSeen.get(nic.id())) + " ms"));
                }
            }
        }
        return events;
    }

    public boolean isUp(String nodeId) {
        return up.getOrDefault(nodeId, false);
    }
}
