package io.e3.controller;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ServiceSpec;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.ComputeNode;
import io.e3.placement.ClusterSnapshot;
import io.e3.placement.search.Relocation;
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
        next.forEach(a -> surviving.add(ControlPlaneManager.shardOf(a)));
        java.util.Set<String> servingBefore = new java.util.HashSet<>();
        for (ServiceSpec s : spec.services()) {
            ControlPlaneManager.copies(s.name(), p).values().forEach(c -> servingBefore.add(c.get(0).instance().id()));
        }
        java.util.Set<String> goneIds = new java.util.HashSet<>();
        gone.forEach(a -> goneIds.add(a.instance().id()));
        ClusterSnapshot usage = manager.snapshotWithout(goneIds);
        List<Assignment> reseed = new ArrayList<>();
        int promoted = 0;
        int moved = 0;
        int lost = 0;
        for (Assignment a : gone) {
            if (surviving.contains(ControlPlaneManager.shardOf(a))) {
                if (servingBefore.contains(a.instance().id())) {
                    promoted++;
                }
                reseed.add(a);
                continue;
            }
            String dead = config.cluster().node(a.nodeId()).map(ComputeNode::serverId).orElse("");
            Optional<ComputeNode> to = roomFor(spec, a, usage, List.of(), dead);
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
        String shard = ControlPlaneManager.shardOf(lost);
        List<Assignment> copies = ControlPlaneManager.copies(lost.instance().service(), p).get(shard);
        if (copies == null || copies.isEmpty()) {
            return false;
        }
        Assignment serving = copies.get(0);
        int number = Math.max(ControlPlaneManager.backupNumber(lost), copies.stream()
                .mapToInt(ControlPlaneManager::backupNumber).max().orElse(0)) + 1;
        io.e3.model.app.Instance i = lost.instance();
        io.e3.model.app.Instance backup = new io.e3.model.app.Instance(shard + ".backup" + number, i.app(),
                i.service(), i.type(), i.ordinal(), io.e3.model.app.InstanceRole.BACKUP, shard, i.demand());
        String servingServer = config.cluster().node(serving.nodeId()).map(ComputeNode::serverId).orElse("");
        java.util.Set<String> taken = new java.util.HashSet<>();
        copies.forEach(c -> taken.add(c.nodeId()));
        Assignment placedBackup = new Assignment(backup, lost.nodeId(), lost.reserved());
        Optional<ComputeNode> to = roomFor(spec, placedBackup, manager.snapshotWithout(java.util.Set.of(lost.instance()
                .id())), taken, servingServer);
        if (to.isEmpty()) {
            LOG.warnf("failover: no live node has room for a new backup of %s", shard);
            return false;
        }
        try {
            agents.seed(to.get().id(), backup.id(), backup.type().manifestName(),
                    Math.max(1, lost.reserved().memoryMiB()), serving.nodeId(), serving.instance().id(), () -> {
                        List<Assignment> next = new ArrayList<>(p.assignments());
                        next.add(new Assignment(backup, to.get().id(), lost.reserved()));
                        publish(app, spec, new PlacementResult(p.algorithm(), next, p.unplaced(), p.metrics()));
                    });
            return true;
        } catch (AgentClient.AgentException | RuntimeException e) {
            LOG.warnf("failover: seeding backup %s of %s on %s failed: %s%s", backup.id(), serving.instance().id(),
                    to.get().id(), e.getMessage(), AgentClient.undoFailures(e));
            return false;
        }
    }

    /**
     * Where {@code a} goes, as placement's constraints decide ({@link Relocation}): cores, memory and bandwidth free,
     * pins, fault domains (a backup never on a server with its primary or sibling backups), never a node that is down
     * or in {@code avoid}; the roomiest node outside server {@code avoidServer} first. Empty, with the reasons logged,
     * if none takes it.
     */
    private Optional<ComputeNode> roomFor(AppSpec spec, Assignment a, ClusterSnapshot usage,
                                          java.util.Collection<String> avoid, String avoidServer) {
        java.util.Set<String> no = new java.util.HashSet<>(manager.down());
        no.addAll(avoid);
        Relocation.Choice c = Relocation.choose(config.cluster(), usage, spec, a.instance(), no,
                Relocation.Prefer.ELSEWHERE, avoidServer);
        if (!c.found()) {
            LOG.warnf("failover: no live node takes %s: %s", a.instance().id(), String.join("; ", c.whyNot()));
        }
        return Optional.ofNullable(c.node()).flatMap(config.cluster()::node);
    }
}
