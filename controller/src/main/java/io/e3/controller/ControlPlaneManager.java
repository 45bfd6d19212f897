package io.e3.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.controller.AppRegistry.Phase;
import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.Scaling;
import io.e3.model.app.ServiceSpec;
import io.e3.model.manifest.AppManifest;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.ComputeNode;
import io.e3.placement.ClusterSnapshot;
import io.e3.placement.PlacementRequest;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The control-plane manager (§5.4.3): places an applied app with the configured strategy over what the cluster already
 * carries, deploys each instance to its node agent, then publishes the app's routing table to every agent. The app
 * goes PENDING → PLACING → RUNNING, or FAILED with the reason, and a failure undoes whatever was deployed. Deleting
 * an app undeploys it and withdraws its routes. One app at a time, on one thread, so placements never race.
 */
@ApplicationScoped
public class ControlPlaneManager {

    private static final Logger LOG = Logger.getLogger(ControlPlaneManager.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ControllerConfig config;

    @Inject
    AppRegistry registry;

    @Inject
    AgentClient agents;

    @Inject
    Migrations migrations;

    @Inject
    StateKeeper state;

    @Inject
    ControllerMetrics metrics;

    /** What the last start found in the durable state: apps restored, instances re-adopted and redeployed. */
    public record Restored(int apps, int adopted, int redeployed, int rescheduled) {
    }

    private volatile Restored restored = new Restored(0, 0, 0, 0);

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "e3-control-plane");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, PlacementResult> placements = new LinkedHashMap<>();
    private final Map<String, String> routes = new LinkedHashMap<>();
    private final Map<String, AppSpec> apps = new LinkedHashMap<>();

    /** Records and schedules an applied app; returns whether it replaced one of the same name. */
    public boolean apply(AppManifest manifest, String text) {
        state.applied(manifest.name(), text);
        boolean replaced = registry.apply(manifest, text);
        worker.submit(() -> deploy(manifest.app()));
        return replaced;
    }

    /** Schedules the removal of an app; returns false if there is none. */
    public boolean delete(String name) {
        if (registry.get(name).isEmpty()) {
            return false;
        }
        registry.phase(name, Phase.PENDING, "being deleted");
        worker.submit(() -> {
            undeploy(name);
            state.deleted(name);
            registry.delete(name);
        });
        return true;
    }

    /** Why a migration cannot start. */
    public static final class MigrationRefused extends Exception {
        public MigrationRefused(String message) {
            super(message);
        }
    }

    /**
     * Schedules a cold migration of {@code instanceId} to {@code toNode} (§5.4.4); returns its id. The steps, each
     * confirmed by the agents, are: deploy at the destination; drain the source (new requests are held); move the
     * state (snapshot, restore); publish the routes with the new place to every agent; undeploy at the source. Held
     * requests and any that still reach the source are answered NO_SUCH_INSTANCE there, and their callers follow
     * the instance to its new node by the new routes, so none is lost and none runs twice. A failure before the routes
     * switch rolls back: the destination copy is removed and the source resumes.
     */
    public long migrate(String instanceId, String toNode, String reason) throws MigrationRefused {
        Assignment at;
        String app;
        synchronized (this) {
            app = instanceId.contains("/") ? instanceId.substring(0, instanceId.indexOf('/')) : "";
            PlacementResult p = placements.get(app);
            at = p == null ? null : p.assignments().stream().filter(a -> a.instance().id().equals(instanceId))
                    .findFirst().orElse(null);
        }
        if (at == null) {
            throw new MigrationRefused("instance: no running instance '" + instanceId + "'");
        }
        if (config.cluster().node(toNode).isEmpty()) {
            throw new MigrationRefused("to: no compute node '" + toNode + "' in cluster " + config.cluster().name());
        }
        if (at.nodeId().equals(toNode)) {
            throw new MigrationRefused("to: " + instanceId + " already runs on " + toNode);
        }
        long id = migrations.start(instanceId, at.nodeId(), toNode, reason);
        String appName = app;
        worker.submit(() -> runMigration(id, appName, at, toNode));
        return id;
    }

    private final Map<Long, java.util.function.Consumer<Boolean>> migrationListeners = new java.util.HashMap<>();

    /** Calls {@code listener} with the outcome (true: moved) when migration {@code id} ends. */
    public void onMigrationEnd(long id, java.util.function.Consumer<Boolean> listener) {
        boolean done;
        synchronized (migrationListeners) {
            done = migrations.get(id).map(v -> v.phase() != Migrations.Phase.RUNNING).orElse(true);
            if (!done) {
                migrationListeners.put(id, listener);
            }
        }
        if (done) {
            listener.accept(migrations.get(id).map(v -> v.phase() == Migrations.Phase.SUCCEEDED).orElse(false));
        }
    }

    private void ended(long id, boolean ok) {
        java.util.function.Consumer<Boolean> l;
        synchronized (migrationListeners) {
            l = migrationListeners.remove(id);
        }
        if (l != null) {
            l.accept(ok);
        }
    }

    private void runMigration(long id, String app, Assignment at, String to) {
        boolean ok = false;
        try {
            ok = doMigration(id, app, at, to);
        } finally {
            if (metrics != null) {
                metrics.migration(migrations.get(id).map(Migrations.View::reason).orElse(""), ok);
            }
            ended(id, ok);
        }
    }

    private boolean doMigration(long id, String app, Assignment at, String to) {
        String instance = at.instance().id();
        String from = at.nodeId();
        boolean deployed = false;
        boolean drained = false;
        long t0 = System.nanoTime();
        try {
            agents.deploy(to, instance, at.instance().type().manifestName(), Math.max(1, at.reserved().memoryMiB()));
            deployed = true;
            migrations.step(id, "deployed on " + to + " at " + ms(t0) + " ms");
            agents.drain(from, instance);
            drained = true;
            migrations.step(id, "drained on " + from + " at " + ms(t0) + " ms");
            byte[] state = agents.snapshot(from, instance);
            agents.restore(to, instance, state);
            migrations.step(id, "moved " + state.length + " bytes of state at " + ms(t0) + " ms");
            AppSpec spec;
            PlacementResult moved;
            synchronized (this) {
                PlacementResult p = placements.get(app);
                List<Assignment> next = new ArrayList<>();
                for (Assignment a : p.assignments()) {
                    next.add(a.instance().id().equals(instance) ? new Assignment(a.instance(), to, a.reserved()) : a);
                }
                moved = new PlacementResult(p.algorithm(), next, p.unplaced(), p.metrics());
                spec = apps.get(app);
            }
            String table = routingTable(spec, moved);
            for (ComputeNode n : config.cluster().nodes()) {
                agents.putRoutes(n.id(), app, table);
            }
            synchronized (this) {
                placements.put(app, moved);
                routes.put(app, table);
            }
            migrations.step(id, "routes switched on " + config.cluster().nodes().size() + " agents at " + ms(t0)
                    + " ms");
            try {
                agents.undeploy(from, instance);
                migrations.step(id, "undeployed on " + from + " at " + ms(t0) + " ms");
            } catch (AgentClient.AgentException e) {
                migrations.step(id, "undeploy on " + from + " failed (left for failover): " + e.getMessage());
            }
            this.state.moved(app, instance, to, table);
            migrations.finish(id, Migrations.Phase.SUCCEEDED, (long) state.length, null);
            return true;
        } catch (AgentClient.AgentException | RuntimeException e) {
            if (deployed) {
                try {
                    agents.undeploy(to, instance);
                } catch (AgentClient.AgentException x) {
                    LOG.warnf("rollback of migration %d on %s: %s", id, to, x.getMessage());
                }
            }
            if (drained) {
                try {
                    agents.resume(from, instance);
                } catch (AgentClient.AgentException x) {
                    LOG.warnf("rollback of migration %d on %s: %s", id, from, x.getMessage());
                }
            }
            migrations.finish(id, Migrations.Phase.ROLLED_BACK, null, e.getMessage());
            return false;
        }
    }

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
        worker.submit(() -> {
            for (String n : nodes) {
                config.cluster().node(n).filter(ComputeNode::isSmartNic).ifPresent(nic -> agents.portDown(nic.id()));
            }
            List<String> apps;
            synchronized (this) {
                apps = List.copyOf(placements.keySet());
            }
            for (String app : apps) {
                replaceLost(app);
            }
        });
    }

    private void replaceLost(String app) {
        PlacementResult p;
        AppSpec spec;
        synchronized (this) {
            p = placements.get(app);
            spec = apps.get(app);
        }
        if (p == null || p.assignments().stream().noneMatch(a -> downNodes.contains(a.nodeId()))) {
            return;
        }
        ClusterSnapshot usage = snapshot();
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
        String table = routingTable(spec, replaced);
        for (ComputeNode n : config.cluster().nodes()) {
            if (!downNodes.contains(n.id())) {
                try {
                    agents.putRoutes(n.id(), app, table);
                } catch (AgentClient.AgentException e) {
                    LOG.warnf("failover routes of %s on %s: %s", app, n.id(), e.getMessage());
                }
            }
        }
        synchronized (this) {
            placements.put(app, replaced);
            routes.put(app, table);
        }
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

    /**
     * Where the orchestrator's choice should go (§5.4.4: "to the host"): the host of the instance's own server if it
     * has the memory and is not {@code avoid}, else the host with the most free memory that has room; empty if none
     * has room.
     */
    public synchronized Optional<String> hostFor(String instanceId, String avoid) {
        Assignment at = null;
        for (PlacementResult p : placements.values()) {
            for (Assignment a : p.assignments()) {
                if (a.instance().id().equals(instanceId)) {
                    at = a;
                }
            }
        }
        if (at == null) {
            return Optional.empty();
        }
        ClusterSnapshot usage = snapshot();
        long need = at.reserved().memoryMiB();
        String own = config.cluster().node(at.nodeId()).map(n -> config.cluster().server(n.serverId()).orElseThrow()
                .host().id()).orElse(null);
        String best = null;
        long bestFree = -1;
        for (io.e3.model.topology.Server s : config.cluster().servers()) {
            ComputeNode h = s.host();
            long free = h.capacity().memoryMiB() - usage.usageOf(h.id()).memoryMiB();
            if (h.id().equals(avoid) || free < need) {
                continue;
            }
            if (h.id().equals(own)) {
                return Optional.of(own);
            }
            if (free > bestFree) {
                best = h.id();
                bestFree = free;
            }
        }
        return Optional.ofNullable(best);
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Where each instance of each running app is. */
    public synchronized Map<String, PlacementResult> placements() {
        return Map.copyOf(placements);
    }

    /** The routing table published for an app. */
    public synchronized Optional<String> routes(String app) {
        return Optional.ofNullable(routes.get(app));
    }

    private void deploy(AppSpec app) {
        String name = app.name();
        try {
            undeploy(name);
            registry.phase(name, Phase.PLACING, "placing with " + config.strategy().name());
            PlacementResult result = config.strategy().place(new PlacementRequest(config.cluster(), snapshot(), app,
                    0, PlacementRequest.DEFAULT_TIME_LIMIT));
            if (!result.unplaced().isEmpty()) {
                fail(name, result.unplaced().size() + " of " + app.instanceCount()
                        + " instances could not be placed; first: " + result.unplaced().get(0));
                return;
            }
            List<Assignment> deployed = new ArrayList<>();
            try {
                for (Assignment a : result.assignments()) {
                    agents.deploy(a.nodeId(), a.instance().id(), a.instance().type().manifestName(),
                            Math.max(1, a.reserved().memoryMiB()));
                    deployed.add(a);
                }
                String table = routingTable(app, result);
                for (ComputeNode n : config.cluster().nodes()) {
                    agents.putRoutes(n.id(), name, table);
                }
                synchronized (this) {
                    placements.put(name, result);
                    routes.put(name, table);
                    apps.put(name, app);
                }
            } catch (AgentClient.AgentException e) {
                rollback(name, deployed);
                fail(name, "deploy failed, rolled back: " + e.getMessage());
                return;
            }
            state.placed(name, result, routes(name).orElseThrow());
            if (metrics != null) {
                metrics.placement("running");
            }
            long nodes = result.assignments().stream().map(Assignment::nodeId).distinct().count();
            registry.phase(name, Phase.RUNNING, result.assignments().size() + " instances on " + nodes + " nodes");
        } catch (RuntimeException e) {
            LOG.error("placing " + name, e);
            fail(name, "internal error: " + e);
        }
    }

    private void fail(String name, String reason) {
        if (metrics != null) {
            metrics.placement("failed");
        }
        state.failed(name, reason);
        registry.phase(name, Phase.FAILED, reason);
    }

    /**
     * Takes up again what the durable state says, at start: every app is back in the registry with its placement and
     * routes; the agents are asked what they run, and an instance they still run is re-adopted as it is (not
     * redeployed); one they lost is deployed again (empty state). Apps that were never placed are placed now.
     */
    void restore(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        List<StateKeeper.Saved> saved = state.load();
        int adopted = 0;
        int redeployed = 0;
        int rescheduled = 0;
        Map<String, java.util.Set<String>> running = new java.util.HashMap<>();
        for (StateKeeper.Saved s : saved) {
            AppManifest manifest;
            try {
                manifest = (AppManifest) io.e3.model.manifest.Manifests.parse(
                        s.manifest().getBytes(java.nio.charset.StandardCharsets.UTF_8), "<state>").get(0);
            } catch (io.e3.model.manifest.ManifestException | ClassCastException e) {
                LOG.errorf("state: app %s: its manifest no longer parses: %s", s.app(), e.getMessage());
                continue;
            }
            registry.apply(manifest, s.manifest());
            if (s.failure() != null) {
                registry.phase(s.app(), Phase.FAILED, s.failure());
                continue;
            }
            if (s.nodes().isEmpty()) {
                rescheduled++;
                worker.submit(() -> deploy(manifest.app()));
                continue;
            }
            List<Assignment> assignments = new ArrayList<>();
            for (io.e3.model.app.Instance i : manifest.app().instances()) {
                String node = s.nodes().get(i.id());
                if (node != null) {
                    assignments.add(new Assignment(i, node, i.demand()));
                }
            }
            PlacementResult result = new PlacementResult(config.strategy().name(), assignments, List.of(), Map.of());
            int lost = 0;
            for (Assignment a : assignments) {
                java.util.Set<String> here = running.computeIfAbsent(a.nodeId(), agents::instancesOrEmpty);
                if (here.contains(a.instance().id())) {
                    adopted++;
                } else {
                    try {
                        agents.deploy(a.nodeId(), a.instance().id(), a.instance().type().manifestName(),
                                Math.max(1, a.reserved().memoryMiB()));
                        redeployed++;
                        lost++;
                    } catch (AgentClient.AgentException e) {
                        LOG.warnf("state: %s could not be redeployed on %s: %s", a.instance().id(), a.nodeId(),
                                e.getMessage());
                    }
                }
            }
            if (lost > 0) {
                for (ComputeNode n : config.cluster().nodes()) {
                    try {
                        agents.putRoutes(n.id(), s.app(), s.routes());
                    } catch (AgentClient.AgentException e) {
                        LOG.warnf("state: routes of %s on %s: %s", s.app(), n.id(), e.getMessage());
                    }
                }
            }
            synchronized (this) {
                placements.put(s.app(), result);
                routes.put(s.app(), s.routes());
                apps.put(s.app(), manifest.app());
            }
            registry.phase(s.app(), Phase.RUNNING, "re-adopted after a controller restart: "
                    + (assignments.size() - lost) + " instances running, " + lost + " redeployed");
        }
        restored = new Restored(saved.size(), adopted, redeployed, rescheduled);
        if (!saved.isEmpty()) {
            LOG.infof("state: %d apps restored; %d instances re-adopted, %d redeployed, %d apps placed anew",
                    saved.size(), adopted, redeployed, rescheduled);
        }
    }

    public Restored restored() {
        return restored;
    }

    private void rollback(String app, List<Assignment> deployed) {
        for (Assignment a : deployed) {
            try {
                agents.undeploy(a.nodeId(), a.instance().id());
            } catch (AgentClient.AgentException e) {
                LOG.warnf("rollback of %s: %s", a.instance().id(), e.getMessage());
            }
        }
        for (ComputeNode n : config.cluster().nodes()) {
            try {
                agents.deleteRoutes(n.id(), app);
            } catch (AgentClient.AgentException e) {
                LOG.warnf("rollback of routes of %s: %s", app, e.getMessage());
            }
        }
    }

    /** Undeploys a running app (if it is) and forgets its placement. */
    private void undeploy(String app) {
        PlacementResult old;
        synchronized (this) {
            old = placements.remove(app);
            routes.remove(app);
            apps.remove(app);
        }
        if (old != null) {
            rollback(app, old.assignments());
        }
    }

    private synchronized ClusterSnapshot snapshot() {
        ClusterSnapshot s = ClusterSnapshot.EMPTY;
        for (PlacementResult r : placements.values()) {
            s = s.with(r);
        }
        return s;
    }

    /**
     * The agents' routing table for an app (docs/node-agent.md): each service's primary instances and their nodes;
     * backups take no traffic until failover promotes them.
     */
    static String routingTable(AppSpec app, PlacementResult result) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode services = root.putObject("services");
        for (ServiceSpec s : app.services()) {
            ObjectNode svc = services.putObject(s.name());
            svc.put("sharded", s.scaling() == Scaling.SHARDED);
            ArrayNode list = svc.putArray("instances");
            for (Assignment a : result.assignments()) {
                if (a.instance().service().equals(s.name()) && !a.instance().isBackup()) {
                    list.addObject().put("id", a.instance().id()).put("node", a.nodeId());
                }
            }
        }
        ArrayNode channels = root.putArray("channels");
        for (ChannelSpec c : app.channels()) {
            channels.addObject().put("from", c.from()).put("to", c.to()).put("routing", c.routing().manifestName());
        }
        return root.toString();
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
