package io.e3.controller;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ServiceSpec;
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

    /**
     * Failover (§5.4.5) of nodes declared down, on the control-plane thread. For each shard or replica that lost a copy:
     * <ul>
     *   <li>if another copy lives, that one carries on: a lost serving instance is replaced by its lowest-numbered live
     *       backup (promotion: the routes give it the primary's shard, so it gets the primary's keys, with every write
     *       the primary acknowledged, since the primary answered only once its backups had applied a write), and a new
     *       backup is seeded from the serving copy's state to restore the redundancy;</li>
     *   <li>if none lives (no backups, or all on dead nodes), the lost copies are deployed again on live nodes with room
     *       (a host first, then a SmartNIC; outside the dead node's server, the fault domain, if another has room),
     *       starting on empty state.</li>
     * </ul>
     * The app's routes are published to the live agents, and a dead SmartNIC's switch port leaves its host's ECMP
     * group.
     */
    public void failover(List<String> nodes) {
        manager.markDown(nodes);
        manager.submit(() -> {
            for (String n : nodes) {
                config.cluster().node(n).filter(ComputeNode::isSmartNic).ifPresent(nic -> agents.portDown(nic.id()));
            }
            for (String app : manager.runningApps()) {
                replaceLost(app);
            }
        });
    }

    /**
     * Readmission of nodes declared down that heartbeat again (a server's host before its SmartNICs): they leave the down
     * set at once, so placement and failover use them again; a SmartNIC's port rejoins its host's ECMP group, and the
     * reconciler removes the copies they still hold that were re-placed meanwhile and brings their routes up to date.
     */
    public void readmit(List<String> nodes) {
        LOG.infof("nodes readmitted: %s heartbeat again; reconciling them and placing on them again", nodes);
        manager.submit(() -> {
            for (String n : nodes) {
                config.cluster().node(n).filter(ComputeNode::isSmartNic).ifPresent(nic -> agents.portUp(nic.id()));
            }
        });
        manager.readmit(nodes);
    }

    /** The nodes declared down and not readmitted since. */
    public java.util.Set<String> downNodes() {
        return manager.down();
    }

    private static String shardOf(Assignment a) {
        return a.instance().isBackup() ? a.instance().primary() : a.instance().id();
    }

    private void replaceLost(String app) {
        PlacementResult p = manager.placement(app);
        AppSpec spec = manager.spec(app);
        if (p == null || p.assignments().stream().noneMatch(a -> manager.isDown(a.nodeId()))) {
            return;
        }
        List<Assignment> next = new ArrayList<>();
        List<Assignment> gone = new ArrayList<>();
        for (Assignment a : p.assignments()) {
            (manager.isDown(a.nodeId()) ? gone : next).add(a);
        }
        java.util.Set<String> surviving = new java.util.HashSet<>();
        next.forEach(a -> surviving.add(shardOf(a)));
        java.util.Set<String> servingBefore = new java.util.HashSet<>();
        for (ServiceSpec s : spec.services()) {
            ControlPlaneManager.copies(s.name(), p).values().forEach(c -> servingBefore.add(c.get(0).instance().id()));
        }
        ClusterSnapshot usage = manager.snapshot();
        List<Assignment> reseed = new ArrayList<>();
        int promoted = 0;
        int moved = 0;
        int lost = 0;
        for (Assignment a : gone) {
            if (surviving.contains(shardOf(a))) {
                if (servingBefore.contains(a.instance().id())) {
                    promoted++;
                }
                reseed.add(a);
                continue;
            }
            String dead = config.cluster().node(a.nodeId()).map(ComputeNode::serverId).orElse("");
            Optional<ComputeNode> to = roomFor(a, usage, n -> true, dead);
            if (to.isEmpty()) {
                lost++;
                continue;
            }
            try {
                agents.deploy(to.get().id(), a.instance().id(), a.instance().type().manifestName(),
                        Math.max(1, a.reserved().memoryMiB()));
                Assignment here = new Assignment(a.instance(), to.get().id(), a.reserved());
                next.add(here);
                usage = usage.with(config.cluster(), spec, new PlacementResult(p.algorithm(), List.of(here),
                        List.of(), Map.of()));
                moved++;
            } catch (AgentClient.AgentException e) {
                LOG.warnf("failover of %s to %s: %s", a.instance().id(), to.get().id(), e.getMessage());
                lost++;
            }
        }
        publish(app, spec, new PlacementResult(p.algorithm(), next, p.unplaced(), p.metrics()));
        promotions.addAndGet(promoted);
        int seeded = 0;
        for (Assignment a : reseed) {
            if (seedBackup(app, a)) {
                seeded++;
            } else {
                lost++;
            }
        }
        registry.phase(app, lost == 0 ? Phase.RUNNING : Phase.FAILED, "failover off " + manager.down() + ": " + promoted
                + " backups promoted, " + seeded + " backups re-seeded, " + moved + " instances re-placed"
                + (lost == 0 ? "" : ", " + lost + " could not be"));
        failovers.incrementAndGet();
    }

    /** Records {@code placement} of {@code app} as desired and publishes it to every live agent. */
    private void publish(String app, AppSpec spec, PlacementResult placement) {
        manager.publish(app, spec, placement);
    }

    /**
     * Restores the copy {@code lost} of a shard that still has a serving copy: a new backup (the next backup number) on a
     * live node with room away from the shard's other copies, outside the serving copy's server unless no other server
     * has room, seeded with the
     * serving copy's state while it is drained (so no request it answers is missing from the new backup), then
     * published as its backup before it resumes. Returns false, with nothing left behind, if any step fails.
     */
    private boolean seedBackup(String app, Assignment lost) {
        PlacementResult p = manager.placement(app);
        AppSpec spec = manager.spec(app);
        List<Assignment> copies = ControlPlaneManager.copies(lost.instance().service(), p).get(shardOf(lost));
        if (copies == null || copies.isEmpty()) {
            return false;
        }
        Assignment serving = copies.get(0);
        int number = Math.max(ControlPlaneManager.backupNumber(lost), copies.stream()
                .mapToInt(ControlPlaneManager::backupNumber).max().orElse(0)) + 1;
        io.e3.model.app.Instance i = lost.instance();
        io.e3.model.app.Instance backup = new io.e3.model.app.Instance(shardOf(lost) + ".backup" + number, i.app(),
                i.service(), i.type(), i.ordinal(), io.e3.model.app.InstanceRole.BACKUP, shardOf(lost), i.demand());
        String servingServer = config.cluster().node(serving.nodeId()).map(ComputeNode::serverId).orElse("");
        java.util.Set<String> taken = new java.util.HashSet<>();
        copies.forEach(c -> taken.add(c.nodeId()));
        Optional<ComputeNode> to = roomFor(lost, manager.snapshot(), n -> !taken.contains(n.id()), servingServer);
        if (to.isEmpty()) {
            LOG.warnf("failover: no live node has room for a new backup of %s", shardOf(lost));
            return false;
        }
        if (to.get().serverId().equals(servingServer)) {
            LOG.warnf("failover: the new backup of %s shares server %s with it: no other server has room",
                    shardOf(lost), servingServer);
        }
        boolean deployed = false;
        boolean drained = false;
        try {
            agents.deploy(to.get().id(), backup.id(), backup.type().manifestName(),
                    Math.max(1, lost.reserved().memoryMiB()));
            deployed = true;
            agents.drain(serving.nodeId(), serving.instance().id());
            drained = true;
            agents.restore(to.get().id(), backup.id(), agents.snapshot(serving.nodeId(), serving.instance().id()));
            List<Assignment> next = new ArrayList<>(p.assignments());
            next.add(new Assignment(backup, to.get().id(), lost.reserved()));
            publish(app, spec, new PlacementResult(p.algorithm(), next, p.unplaced(), p.metrics()));
            agents.resume(serving.nodeId(), serving.instance().id());
            return true;
        } catch (AgentClient.AgentException | RuntimeException e) {
            LOG.warnf("failover: seeding backup %s of %s on %s failed: %s", backup.id(), serving.instance().id(),
                    to.get().id(), e.getMessage());
            try {
                if (deployed) {
                    agents.undeploy(to.get().id(), backup.id());
                }
                if (drained) {
                    agents.resume(serving.nodeId(), serving.instance().id());
                }
            } catch (AgentClient.AgentException x) {
                LOG.warnf("failover: undoing the seeding of %s: %s", backup.id(), x.getMessage());
            }
            return false;
        }
    }

    /**
     * A live node that {@code filter} accepts with the memory {@code a} reserves: a host before a SmartNIC, and a node
     * outside server {@code avoidServer} before one in it.
     */
    private Optional<ComputeNode> roomFor(Assignment a, ClusterSnapshot usage,
                                          java.util.function.Predicate<ComputeNode> filter, String avoidServer) {
        return config.cluster().nodes().stream()
                .filter(n -> !manager.isDown(n.id()))
                .filter(filter)
                .filter(n -> n.capacity().memoryMiB() - usage.usageOf(n.id()).memoryMiB() >= a.reserved().memoryMiB())
                .sorted(java.util.Comparator.comparing((ComputeNode n) -> n.serverId().equals(avoidServer))
                        .thenComparing(ComputeNode::isSmartNic))
                .findFirst();
    }

    private final java.util.concurrent.atomic.AtomicInteger promotions = new java.util.concurrent.atomic.AtomicInteger();

    /** Backups promoted to serve in place of a lost primary (or promoted backup) so far. */
    public int promotions() {
        return promotions.get();
    }

    private final java.util.concurrent.atomic.AtomicInteger failovers = new java.util.concurrent.atomic.AtomicInteger();

    /** Apps re-placed by failover so far. */
    public int failovers() {
        return failovers.get();
    }

}
