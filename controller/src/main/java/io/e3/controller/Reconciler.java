package io.e3.controller;

import io.e3.model.app.AppSpec;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Level-triggered reconciliation, as Kubernetes controllers do it: each pass compares the desired state (each app's
 * placement and the version of its routing table, held by the {@link ControlPlaneManager}) with what the agents that
 * are not down report (their instances with their phase, and the route-table version they have), and converges:
 * <ul>
 *   <li>an agent ahead of the desired version (a push that a stop cut off) gets the desired table again, numbered
 *       above what it has;</li>
 *   <li>a desired copy that is drained is resumed: at once in the first pass after a restart (a migration or seeding
 *       that the stop cut off), else once it has stayed drained for the grace period, so that a drain by hand or by a
 *       tool is left alone that long;</li>
 *   <li>a desired copy that its node does not have is taken up where its state is: if another node holds a copy of
 *       the same instance, the desired placement follows it; else if a live copy of the same shard exists (a primary
 *       or backup), a new copy is seeded from its state while it is drained; only if none exists is it deployed
 *       empty, with a warning;</li>
 *   <li>agents behind the desired version get the table (each node on its own: one that does not answer is retried
 *       on the next pass);</li>
 *   <li>copies that nothing wants (orphans: left by a migration or a failover, or on a readmitted node) are removed,
 *       but only once every node that is up has the current table, so no request is ever sent to a removed copy;
 *       instances and tables of apps the controller does not know are removed too.</li>
 * </ul>
 * Nodes that are down are skipped; they catch up when readmitted. A pass runs on the control-plane thread, so it
 * never races a placement, migration or failover.
 */
final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final ControlPlaneManager manager;
    private final AgentClient agents;
    private final Cluster cluster;

    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong routesPushed = new AtomicLong();
    private final AtomicLong resumed = new AtomicLong();
    private final AtomicLong seeded = new AtomicLong();
    private final AtomicLong redeployedEmpty = new AtomicLong();
    private final AtomicLong relocated = new AtomicLong();
    private final AtomicLong orphansRemoved = new AtomicLong();
    private final AtomicLong renumbered = new AtomicLong();
    /** Per node and instance: when a pass first saw a desired copy drained (control-plane thread only). */
    private final Map<String, Long> drainedSince = new HashMap<>();
    /** How long a desired copy may stay drained before a pass resumes it. */
    private final long drainGraceMillis;
    /** The next pass resumes drained copies at once: the first after a restart, whose stop cut their drain off. */
    private boolean resumeAtOnce;

    Reconciler(ControlPlaneManager manager, AgentClient agents, Cluster cluster, long drainGraceMillis) {
        this.drainGraceMillis = drainGraceMillis;
        this.manager = manager;
        this.agents = agents;
        this.cluster = cluster;
    }

    /** What the reconciler has done since the controller started: passes begun and passes completed, then actions. */
    public record Totals(long passes, long completed, long routesPushed, long resumed, long seeded, long redeployedEmpty,
                         long relocated, long orphansRemoved, long renumbered) {
    }

    Totals totals() {
        return new Totals(passes.get(), completed.get(), routesPushed.get(), resumed.get(), seeded.get(), redeployedEmpty.get(),
                relocated.get(), orphansRemoved.get(), renumbered.get());
    }

    /**
     * What one pass found and did.
     *
     * @param observed   agents that answered
     * @param adopted    desired copies found on their node
     * @param takenUp    desired copies their node lacked, by app (seeded, relocated or deployed empty)
     */
    record Pass(int observed, int unreachable, int adopted, Map<String, Integer> takenUp, int resumed,
                int routesPushed, int orphansRemoved) {

        static final Pass NONE = new Pass(0, 0, 0, Map.of(), 0, 0, 0);

        int redeployed() {
            return takenUp.values().stream().mapToInt(Integer::intValue).sum();
        }

        int redeployedOf(String app) {
            return takenUp.getOrDefault(app, 0);
        }
    }

    Pass run() {
        passes.incrementAndGet();
        try {
            return pass();
        } finally {
            completed.incrementAndGet(); // a pass that throws has ended too
        }
    }

    private Pass pass() {
        Map<String, AgentClient.Observed> seen = new LinkedHashMap<>();
        int unreachable = 0;
        for (ComputeNode n : cluster.nodes()) {
            if (manager.isDown(n.id())) {
                continue;
            }
            try {
                seen.put(n.id(), agents.observe(n.id()));
            } catch (AgentClient.AgentException e) {
                unreachable++;
                LOG.debugf("reconcile: %s did not answer: %s", n.id(), e.getMessage());
            }
        }
        java.util.Set<String> stillDrained = new java.util.HashSet<>();
        int adopted = 0;
        int resumedNow = 0;
        int pushed = 0;
        int removed = 0;
        Map<String, Integer> redeployed = new LinkedHashMap<>();
        List<String> known = manager.runningApps();
        for (String app : known) {
            // Ahead: an agent has a version the desired state never recorded as current.
            long max = seen.values().stream().mapToLong(o -> o.version(app)).max().orElse(-1);
            if (max > manager.version(app)) {
                LOG.infof("reconcile: %s: an agent has routes version %d above the recorded %d; republishing",
                        app, max, manager.version(app));
                renumbered.incrementAndGet();
                manager.renumber(app, max);
                seen = reobserve(seen);
            }
            PlacementResult p = manager.placement(app);
            for (Assignment a : p.assignments()) {
                String id = a.instance().id();
                AgentClient.Observed o = seen.get(a.nodeId());
                if (o == null) {
                    continue; // down or not answering: caught up later
                }
                String phase = o.phases().get(id);
                if (phase != null) {
                    adopted++;
                    if (phase.equals("drained") && drainedLongEnough(a.nodeId(), id, stillDrained)
                            && resume(a.nodeId(), id)) {
                        resumedNow++;
                    }
                    continue;
                }
                if (takeUp(app, a, seen)) {
                    redeployed.merge(app, 1, Integer::sum);
                }
            }
            // Behind: push the current table to each seen node that lacks it.
            String table = manager.routes(app).orElse(null);
            long version = manager.version(app);
            boolean allCurrent = seen.size() == upNodes();
            for (AgentClient.Observed o : seen.values()) {
                if (o.version(app) >= version || table == null) {
                    continue;
                }
                try {
                    agents.putRoutes(o.node(), app, table);
                    pushed++;
                    routesPushed.incrementAndGet();
                } catch (AgentClient.AgentException e) {
                    allCurrent = false;
                    LOG.warnf("reconcile: routes of %s on %s: %s (retried next pass)", app, o.node(), e.getMessage());
                }
            }
            if (allCurrent) {
                removed += removeOrphans(app, manager.placement(app), seen);
            }
        }
        removed += removeStrays(known, seen);
        drainedSince.keySet().retainAll(stillDrained);
        resumeAtOnce = false;
        return new Pass(seen.size(), unreachable, adopted, Map.copyOf(redeployed), resumedNow, pushed, removed);
    }

    /** The next pass resumes drained desired copies at once (the first pass after a restart). */
    void resumeAtOnce() {
        resumeAtOnce = true;
    }

    /**
     * Whether desired copy {@code id} on {@code node}, drained now, has been so for the grace period (a drain by hand or
     * by a tool is left alone that long), or the pass resumes at once.
     */
    private boolean drainedLongEnough(String node, String id, java.util.Set<String> stillDrained) {
        String key = node + " " + id;
        stillDrained.add(key);
        long now = System.currentTimeMillis();
        long since = drainedSince.computeIfAbsent(key, k -> now);
        if (resumeAtOnce || now - since >= drainGraceMillis) {
            drainedSince.remove(key);
            return true;
        }
        return false;
    }

    private int upNodes() {
        return (int) cluster.nodes().stream().filter(n -> !manager.isDown(n.id())).count();
    }

    private Map<String, AgentClient.Observed> reobserve(Map<String, AgentClient.Observed> before) {
        Map<String, AgentClient.Observed> now = new LinkedHashMap<>();
        for (String node : before.keySet()) {
            try {
                now.put(node, agents.observe(node));
            } catch (AgentClient.AgentException e) {
                LOG.debugf("reconcile: %s did not answer: %s", node, e.getMessage());
            }
        }
        return now;
    }

    private boolean resume(String node, String id) {
        try {
            agents.resume(node, id);
            resumed.incrementAndGet();
            LOG.infof("reconcile: resumed %s on %s, left drained", id, node);
            return true;
        } catch (AgentClient.AgentException e) {
            LOG.warnf("reconcile: resuming %s on %s: %s", id, node, e.getMessage());
            return false;
        }
    }

    /** Takes up desired copy {@code a} that its node lacks; returns whether it now runs. */
    private boolean takeUp(String app, Assignment a, Map<String, AgentClient.Observed> seen) {
        String id = a.instance().id();
        // The same instance on another node (a migration's other end): the desired placement follows its state.
        for (AgentClient.Observed o : seen.values()) {
            String phase = o.phases().get(id);
            if (phase != null && !phase.equals("failed") && !o.node().equals(a.nodeId())) {
                LOG.infof("reconcile: %s is not on %s but on %s: following it there", id, a.nodeId(), o.node());
                manager.relocate(app, id, o.node());
                relocated.incrementAndGet();
                if (phase.equals("drained")) {
                    resume(o.node(), id);
                }
                return true;
            }
        }
        // A live copy of the same shard: seed from its state.
        Optional<Assignment> sibling = siblingOf(a, manager.placement(app), seen);
        if (sibling.isPresent() && seed(a, sibling.get())) {
            seeded.incrementAndGet();
            return true;
        }
        if (sibling.isPresent()) {
            return false; // seeding failed; retried next pass rather than losing the state by starting empty
        }
        try {
            agents.deploy(a.nodeId(), id, a.instance().type().manifestName(), Math.max(1, a.reserved().memoryMiB()));
            redeployedEmpty.incrementAndGet();
            LOG.warnf("reconcile: %s was lost with every copy of its shard; deployed again on %s with empty state",
                    id, a.nodeId());
            return true;
        } catch (AgentClient.AgentException e) {
            LOG.warnf("reconcile: deploying %s on %s: %s", id, a.nodeId(), e.getMessage());
            return false;
        }
    }

    /** Another desired copy of {@code a}'s shard that its node runs, the serving one first. */
    private static Optional<Assignment> siblingOf(Assignment a, PlacementResult p,
                                                  Map<String, AgentClient.Observed> seen) {
        return ControlPlaneManager.copies(a.instance().service(), p)
                .getOrDefault(ControlPlaneManager.shardOf(a), List.of()).stream()
                .filter(c -> !c.instance().id().equals(a.instance().id()))
                .filter(c -> {
                    AgentClient.Observed o = seen.get(c.nodeId());
                    String phase = o == null ? null : o.phases().get(c.instance().id());
                    return phase != null && !phase.equals("failed");
                })
                .findFirst();
    }

    /** Deploys {@code a} and restores it from {@code from}'s state, taken while {@code from} is drained. */
    private boolean seed(Assignment a, Assignment from) {
        String id = a.instance().id();
        try {
            agents.seed(a.nodeId(), id, a.instance().type().manifestName(), Math.max(1, a.reserved().memoryMiB()),
                    from.nodeId(), from.instance().id(), () -> { });
            LOG.infof("reconcile: %s was missing on %s: seeded from %s on %s", id, a.nodeId(), from.instance().id(),
                    from.nodeId());
            return true;
        } catch (AgentClient.AgentException e) {
            LOG.warnf("reconcile: seeding %s on %s from %s: %s%s", id, a.nodeId(), from.instance().id(),
                    e.getMessage(), AgentClient.undoFailures(e));
            return false;
        }
    }

    /** Removes copies of {@code app} that its desired placement does not put where they are. */
    private int removeOrphans(String app, PlacementResult p, Map<String, AgentClient.Observed> seen) {
        Map<String, String> desired = new HashMap<>();
        p.assignments().forEach(a -> desired.put(a.instance().id(), a.nodeId()));
        int removed = 0;
        for (AgentClient.Observed o : seen.values()) {
            for (String id : o.phases().keySet()) {
                if (!id.startsWith(app + "/") || o.node().equals(desired.get(id))) {
                    continue;
                }
                try {
                    agents.undeploy(o.node(), id);
                    removed++;
                    orphansRemoved.incrementAndGet();
                    LOG.infof("reconcile: removed orphan copy %s on %s (desired: %s)", id, o.node(),
                            desired.getOrDefault(id, "nowhere"));
                } catch (AgentClient.AgentException e) {
                    LOG.warnf("reconcile: removing orphan %s on %s: %s", id, o.node(), e.getMessage());
                }
            }
        }
        return removed;
    }

    /** Removes instances and routing tables of apps the controller neither runs nor is placing. */
    private int removeStrays(List<String> known, Map<String, AgentClient.Observed> seen) {
        int removed = 0;
        for (AgentClient.Observed o : seen.values()) {
            List<String> ids = new ArrayList<>(o.phases().keySet());
            for (String id : ids) {
                String app = id.substring(0, Math.max(0, id.indexOf('/')));
                if (known.contains(app) || manager.isBeingPlaced(app)) {
                    continue;
                }
                try {
                    agents.undeploy(o.node(), id);
                    removed++;
                    orphansRemoved.incrementAndGet();
                    LOG.infof("reconcile: removed %s on %s: no app %s is running", id, o.node(), app);
                } catch (AgentClient.AgentException e) {
                    LOG.warnf("reconcile: removing %s on %s: %s", id, o.node(), e.getMessage());
                }
            }
            for (String app : o.versions().keySet()) {
                if (!known.contains(app) && !manager.isBeingPlaced(app)) {
                    try {
                        agents.deleteRoutes(o.node(), app);
                    } catch (AgentClient.AgentException e) {
                        LOG.warnf("reconcile: removing routes of %s on %s: %s", app, o.node(), e.getMessage());
                    }
                }
            }
        }
        return removed;
    }
}
