package io.e3.controller;

import io.e3.model.app.AppSpec;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.ComputeNode;
import io.e3.placement.ClusterSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.e3.controller.AppRegistry.Phase;
import org.jboss.logging.Logger;

/** The failover manager's actions (§5.4.5), on the control-plane thread: re-placing what dead nodes ran. */
@ApplicationScoped
public class FailoverManager {

    private static final Logger LOG = Logger.getLogger(FailoverManager.class);

    @Inject
    ControlPlaneManager manager;

    @Inject
    ControllerConfig config;

    @Inject
    AgentClient agents;

    @Inject
    StateKeeper state;

    @Inject
    AppRegistry registry;

    /** Nodes declared down by the failover manager; nothing is placed on them until they are back. */
    private final java.util.Set<String> downNodes = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Failover (§5.4.5) of nodes declared down: every instance they ran is deployed again on a live node with room (a
     * host first, then a SmartNIC; never in the dead node's server, the fault domain, if another has room), and the
     * app's routes are published to the live agents. A dead SmartNIC's switch port leaves its host's ECMP group.
     * State is not replicated to backups yet, so a stateful instance starts empty at its new node.
     */
    public void failover(List<String> nodes) {
        downNodes.addAll(nodes);
        manager.submit(() -> {
            for (String n : nodes) {
                config.cluster().node(n).filter(ComputeNode::isSmartNic).ifPresent(nic -> agents.portDown(nic.id()));
            }
            for (String app : manager.runningApps()) {
                replaceLost(app);
            }
        });
    }

    private void replaceLost(String app) {
        PlacementResult p = manager.placement(app);
        AppSpec spec = manager.spec(app);
        if (p == null || p.assignments().stream().noneMatch(a -> downNodes.contains(a.nodeId()))) {
            return;
        }
        ClusterSnapshot usage = manager.snapshot();
        List<Assignment> next = new ArrayList<>();
        int moved = 0;
        int lost = 0;
        for (Assignment a : p.assignments()) {
            if (!downNodes.contains(a.nodeId())) {
                next.add(a);
                continue;
            }
            String dead = config.cluster().node(a.nodeId()).map(ComputeNode::serverId).orElse("");
            ClusterSnapshot now = usage;
            Optional<ComputeNode> to = config.cluster().nodes().stream()
                    .filter(n -> !downNodes.contains(n.id()))
                    .filter(n -> n.capacity().memoryMiB() - now.usageOf(n.id()).memoryMiB()
                            >= a.reserved().memoryMiB())
                    .sorted(java.util.Comparator.comparing((ComputeNode n) -> n.serverId().equals(dead))
                            .thenComparing(ComputeNode::isSmartNic))
                    .findFirst();
            if (to.isEmpty()) {
                lost++;
                continue;
            }
            try {
                agents.deploy(to.get().id(), a.instance().id(), a.instance().type().manifestName(),
                        Math.max(1, a.reserved().memoryMiB()));
                next.add(new Assignment(a.instance(), to.get().id(), a.reserved()));
                usage = usage.with(new PlacementResult(p.algorithm(), List.of(next.get(next.size() - 1)), List.of(),
                        Map.of()));
                moved++;
            } catch (AgentClient.AgentException e) {
                LOG.warnf("failover of %s to %s: %s", a.instance().id(), to.get().id(), e.getMessage());
                lost++;
            }
        }
        PlacementResult replaced = new PlacementResult(p.algorithm(), next, p.unplaced(), p.metrics());
        String table = ControlPlaneManager.routingTable(spec, replaced);
        for (ComputeNode n : config.cluster().nodes()) {
            if (!downNodes.contains(n.id())) {
                try {
                    agents.putRoutes(n.id(), app, table);
                } catch (AgentClient.AgentException e) {
                    LOG.warnf("failover routes of %s on %s: %s", app, n.id(), e.getMessage());
                }
            }
        }
        manager.update(app, replaced, table);
        state.placed(app, replaced, table);
        registry.phase(app, lost == 0 ? Phase.RUNNING : Phase.FAILED, "failover: " + moved
                + " instances re-placed off " + downNodes + (lost == 0 ? "" : ", " + lost + " could not be"));
        failovers.incrementAndGet();
    }

    private final java.util.concurrent.atomic.AtomicInteger failovers = new java.util.concurrent.atomic.AtomicInteger();

    /** Apps re-placed by failover so far. */
    public int failovers() {
        return failovers.get();
    }

}
