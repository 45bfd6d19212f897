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
 * an app undeploys it and withdraws its routes. It holds where everything runs; the {@link MigrationDriver} and the
 * {@link FailoverManager} change that through it, all on its one thread, so placements, moves and failovers never
 * race.
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
    /** The version of each app's routing table last published; only grows, also across a re-apply. */
    private final Map<String, Long> versions = new LinkedHashMap<>();
    /** Nodes declared down: nothing is placed on them and nothing is sent to them until they are readmitted. */
    private final java.util.Set<String> down = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The app being placed on the control-plane thread right now, or null. */
    private volatile String placing;

    @Inject
    Migrations migrations;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "e3.reconcile.period-ms", defaultValue = "1000")
    long reconcilePeriodMs = 1000;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "e3.reconcile.drain-grace-ms", defaultValue = "10000")
    long drainGraceMillis = 10_000;

    private volatile Reconciler reconciler;
    private final java.util.concurrent.ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "e3-reconcile-timer");
                t.setDaemon(true);
                return t;
            });
    private final java.util.concurrent.atomic.AtomicBoolean passQueued = new java.util.concurrent.atomic.AtomicBoolean();

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

    // ---- what the migration driver and the failover manager work with ----

    /** Runs {@code work} on the control-plane thread, after whatever is queued. */
    void submit(Runnable work) {
        worker.submit(work);
    }

    /** The running instance {@code instanceId}'s placement, or null. */
    synchronized Assignment assignment(String instanceId) {
        for (PlacementResult p : placements.values()) {
            for (Assignment a : p.assignments()) {
                if (a.instance().id().equals(instanceId)) {
                    return a;
                }
            }
        }
        return null;
    }

    synchronized PlacementResult placement(String app) {
        return placements.get(app);
    }

    synchronized AppSpec spec(String app) {
        return apps.get(app);
    }

    synchronized List<String> runningApps() {
        return List.copyOf(placements.keySet());
    }

    /** The outcome of publishing a placement: its routing table's version and text, and the live nodes that missed it. */
    record Published(long version, String table, List<String> behind) {
    }

    /**
     * Makes {@code result} the desired placement of {@code app}: numbers a routing table for it, records both durably,
     * then pushes the table to every node that is not down. A node that does not take it is left behind and caught up
     * by the reconciler; a node that is down gets it when it is readmitted. Control-plane thread only.
     */
    Published publish(String app, AppSpec spec, PlacementResult result) {
        long version;
        String table;
        synchronized (this) {
            version = versions.merge(app, 1L, Long::sum);
            table = routingTable(spec, result, version);
            placements.put(app, result);
            routes.put(app, table);
            apps.put(app, spec);
        }
        state.placed(app, result, table, version);
        return new Published(version, table, pushRoutes(app, table));
    }

    /** Pushes {@code table} of {@code app} to every node that is not down; returns those that did not take it. */
    List<String> pushRoutes(String app, String table) {
        List<String> behind = new ArrayList<>();
        for (ComputeNode n : config.cluster().nodes()) {
            if (down.contains(n.id())) {
                continue;
            }
            try {
                agents.putRoutes(n.id(), app, table);
            } catch (AgentClient.AgentException e) {
                behind.add(n.id());
                LOG.warnf("routes of %s not taken by %s (the reconciler retries): %s", app, n.id(), e.getMessage());
            }
        }
        return behind;
    }

    /** The version of {@code app}'s routing table last published; 0 if none. */
    synchronized long version(String app) {
        return versions.getOrDefault(app, 0L);
    }

    /** Publishes {@code app}'s current placement again with a version above {@code seen} (an agent was ahead). */
    void renumber(String app, long seen) {
        PlacementResult p;
        AppSpec spec;
        synchronized (this) {
            p = placements.get(app);
            spec = apps.get(app);
            versions.merge(app, seen, Math::max);
        }
        if (p != null) {
            publish(app, spec, p);
        }
    }

    /** Records that {@code instanceId} of {@code app} now runs on {@code node}, and publishes that. */
    Published relocate(String app, String instanceId, String node) {
        PlacementResult p;
        AppSpec spec;
        synchronized (this) {
            p = placements.get(app);
            spec = apps.get(app);
        }
        List<Assignment> next = new ArrayList<>();
        for (Assignment a : p.assignments()) {
            next.add(a.instance().id().equals(instanceId) ? new Assignment(a.instance(), node, a.reserved()) : a);
        }
        return publish(app, spec, new PlacementResult(p.algorithm(), next, p.unplaced(), p.metrics()));
    }

    /** Whether {@code app} is being placed right now (its instances are not yet in its desired placement). */
    boolean isBeingPlaced(String app) {
        return app.equals(placing);
    }

    // ---- membership ----

    /** Nodes declared down: placement, routes and the reconciler leave them alone. */
    void markDown(java.util.Collection<String> nodes) {
        down.addAll(nodes);
    }

    /** Nodes that heartbeat again after being declared down: reconciled (stale copies removed) and used again. */
    void readmit(java.util.Collection<String> nodes) {
        if (down.removeAll(nodes)) {
            LOG.infof("readmitted %s: reconciling them", nodes);
            reconcileSoon();
        }
    }

    boolean isDown(String node) {
        return down.contains(node);
    }

    /** The nodes declared down now. */
    public java.util.Set<String> down() {
        return java.util.Set.copyOf(down);
    }

    // ---- reconciliation ----

    private Reconciler reconciler() {
        Reconciler r = reconciler;
        if (r == null) {
            synchronized (this) {
                if (reconciler == null) {
                    reconciler = new Reconciler(this, agents, config.cluster(), drainGraceMillis);
                }
                r = reconciler;
            }
        }
        return r;
    }

    /** Queues a reconcile pass on the control-plane thread unless one is queued already. */
    void reconcileSoon() {
        if (passQueued.compareAndSet(false, true)) {
            worker.submit(() -> {
                passQueued.set(false);
                reconcileNow();
            });
        }
    }

    /** One reconcile pass; control-plane thread only. */
    Reconciler.Pass reconcileNow() {
        try {
            return reconciler().run();
        } catch (RuntimeException e) {
            LOG.error("reconcile pass", e);
            return Reconciler.Pass.NONE;
        }
    }

    /** What the reconciler has done since the start. */
    public Reconciler.Totals reconciliation() {
        return reconciler().totals();
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
        placing = name;
        try {
            PlacementResult kept = keptPlacement(app);
            if (kept != null) {
                Published published = publish(name, app, kept);
                registry.phase(name, Phase.RUNNING, kept.assignments().size() + " instances, placements kept"
                        + (published.behind().isEmpty() ? "" : "; routes pending on " + published.behind()));
                return;
            }
            undeploy(name);
            registry.phase(name, Phase.PLACING, "placing with " + config.strategy().name());
            PlacementResult result = config.strategy().place(new PlacementRequest(
                    config.cluster(), snapshot().withUnavailable(config.cluster(), down), app, 0,
                    PlacementRequest.DEFAULT_TIME_LIMIT));
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
            } catch (AgentClient.AgentException e) {
                rollback(name, deployed);
                fail(name, "deploy failed, rolled back: " + e.getMessage());
                return;
            }
            Published published = publish(name, app, result);
            if (metrics != null) {
                metrics.placement("running");
            }
            long nodes = result.assignments().stream().map(Assignment::nodeId).distinct().count();
            registry.phase(name, Phase.RUNNING, result.assignments().size() + " instances on " + nodes + " nodes"
                    + (published.behind().isEmpty() ? "" : "; routes pending on " + published.behind()));
        } catch (RuntimeException e) {
            LOG.error("placing " + name, e);
            fail(name, "internal error: " + e);
        } finally {
            placing = null;
        }
    }

    /**
     * The current placement of {@code app} if it runs and the new manifest describes the same app (so re-applying
     * an unchanged app keeps where its instances are, migrated ones included); null otherwise.
     */
    private synchronized PlacementResult keptPlacement(AppSpec app) {
        AppSpec was = apps.get(app.name());
        PlacementResult p = placements.get(app.name());
        if (was == null || p == null || !was.equals(app)) {
            return null;
        }
        return p.assignments().stream().anyMatch(a -> down.contains(a.nodeId())) ? null : p;
    }

    private void fail(String name, String reason) {
        if (metrics != null) {
            metrics.placement("failed");
        }
        state.failed(name, reason);
        registry.phase(name, Phase.FAILED, reason);
    }

    /**
     * Takes up again what the durable state says, at start. The state must belong to this cluster. Every app is back
     * in the registry with its desired placement and routes; migrations that a stop cut off are settled (the desired
     * placement says whether their switch was recorded: then they completed, else they rolled back); then a first
     * reconcile pass compares all that with what the agents report and converges: an instance an agent still runs is
     * re-adopted as it is, a drained one resumed, one no agent has is restored from a live copy of its shard (or,
     * with none, deployed again empty), routes are pushed where they are behind, and copies nothing wants are
     * removed. Apps that were never placed are placed now. Then reconciliation goes on periodically.
     */
    void restore(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        state.belongsTo(config.cluster().name(), config.plan().block());
        List<StateKeeper.Saved> saved = state.load();
        int rescheduled = 0;
        int cutOff = 0;
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
            synchronized (this) {
                versions.put(s.app(), s.version());
            }
            cutOff += settle(s);
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
            Map<String, io.e3.model.app.Instance> declared = new java.util.HashMap<>();
            manifest.app().instances().forEach(i -> declared.put(i.id(), i));
            for (Map.Entry<String, String> placed : new java.util.TreeMap<>(s.nodes()).entrySet()) {
                io.e3.model.app.Instance i = instance(declared, placed.getKey());
                if (i == null) {
                    LOG.warnf("state: app %s: instance %s is not in its manifest; ignored", s.app(), placed.getKey());
                } else {
                    assignments.add(new Assignment(i, placed.getValue(), i.demand()));
                }
            }
            synchronized (this) {
                placements.put(s.app(), new PlacementResult(config.strategy().name(), assignments, List.of(),
                        Map.of()));
                routes.put(s.app(), s.routes());
                apps.put(s.app(), manifest.app());
            }
        }
        Reconciler.Pass first;
        try {
            first = worker.submit(() -> {
                reconciler().resumeAtOnce();
                return reconcileNow();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reconciling the restored state", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("reconciling the restored state: " + e.getCause(), e.getCause());
        }
        for (String app : runningApps()) {
            PlacementResult p = placement(app);
            int lost = first.redeployedOf(app);
            registry.phase(app, Phase.RUNNING, "re-adopted after a controller restart: "
                    + (p.assignments().size() - lost) + " instances running, " + lost + " redeployed");
        }
        restored = new Restored(saved.size(), first.adopted(), first.redeployed(), rescheduled);
        if (!saved.isEmpty()) {
            LOG.infof("state: %d apps restored from %s; %d instances re-adopted, %d redeployed, %d apps placed "
                    + "anew, %d migrations cut off by the stop settled", saved.size(), state.folder(),
                    first.adopted(), first.redeployed(), rescheduled, cutOff);
        }
        if (reconcilePeriodMs > 0) {
            timer.scheduleWithFixedDelay(this::reconcileSoon, reconcilePeriodMs, reconcilePeriodMs,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Ends the migrations of {@code s} that a stop cut off, as the desired placement says; returns how many. */
    private int settle(StateKeeper.Saved s) {
        for (StateKeeper.Intent i : s.migrations()) {
            boolean switched = i.to().equals(s.nodes().get(i.instance()));
            String outcome = switched ? "completed" : "rolled back";
            LOG.infof("state: migration of %s from %s to %s was cut off by a controller stop: %s by reconciling",
                    i.instance(), i.from(), i.to(), outcome);
            if (migrations != null) {
                long id = migrations.start(i.instance(), i.from(), i.to(), "cut off by a controller restart");
                migrations.finish(id, switched ? Migrations.Phase.SUCCEEDED : Migrations.Phase.ROLLED_BACK, null,
                        switched ? null : "cut off by a controller restart before its routes switched");
            }
            state.migrated(s.app(), i.migration());
        }
        return s.migrations().size();
    }

    /**
     * The instance with id {@code id}: one the manifest declares, or a backup that failover added to a declared primary
     * ({@code <primary>.backup<j>} beyond the manifest's count); null if neither.
     */
    private static io.e3.model.app.Instance instance(Map<String, io.e3.model.app.Instance> declared, String id) {
        io.e3.model.app.Instance i = declared.get(id);
        int at = id.lastIndexOf(".backup");
        if (i != null || at < 0) {
            return i;
        }
        io.e3.model.app.Instance primary = declared.get(id.substring(0, at));
        String number = id.substring(at + ".backup".length());
        if (primary == null || primary.isBackup() || !number.matches("[1-9][0-9]{0,2}")) {
            return null;
        }
        return io.e3.model.app.Instance.backupOf(primary, Integer.parseInt(number));
    }

    public Restored restored() {
        return restored;
    }

    private void rollback(String app, List<Assignment> deployed) {
        for (Assignment a : deployed) {
            if (down.contains(a.nodeId())) {
                continue;
            }
            try {
                agents.undeploy(a.nodeId(), a.instance().id());
            } catch (AgentClient.AgentException e) {
                LOG.warnf("rollback of %s: %s", a.instance().id(), e.getMessage());
            }
        }
        for (ComputeNode n : config.cluster().nodes()) {
            if (down.contains(n.id())) {
                continue; // the reconciler removes the table once the node is back
            }
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

    /** What the cluster carries, leaving out the instances {@code ids} (ones about to move). */
    synchronized ClusterSnapshot snapshotWithout(java.util.Set<String> ids) {
        ClusterSnapshot s = ClusterSnapshot.EMPTY;
        for (Map.Entry<String, PlacementResult> e : placements.entrySet()) {
            PlacementResult p = e.getValue();
            s = s.with(config.cluster(), apps.get(e.getKey()), new PlacementResult(p.algorithm(), p.assignments()
                    .stream().filter(a -> !ids.contains(a.instance().id())).toList(), List.of(), Map.of()));
        }
        return s;
    }

    /**
     * Where running instance {@code a} of {@code app} should go, chosen by placement's constraints
     * ({@link io.e3.placement.Relocation}), never to a node that is down or in {@code avoid}.
     */
    io.e3.placement.search.Relocation.Choice relocation(String app, Assignment a, java.util.Collection<String> avoid,
                                                 io.e3.placement.search.Relocation.Prefer prefer, String where) {
        ClusterSnapshot s = snapshotWithout(java.util.Set.of(a.instance().id()));
        AppSpec spec = spec(app);
        java.util.Set<String> no = new java.util.HashSet<>(down);
        no.addAll(avoid);
        return io.e3.placement.search.Relocation.choose(config.cluster(), s, spec, a.instance(), no, prefer, where);
    }

    synchronized ClusterSnapshot snapshot() {
        return snapshotWithout(java.util.Set.of());
    }

    /**
     * The agents' routing table for an app (docs/node-agent.md): for each shard or replica of each service, the
     * instance serving it with its backups. A primary serves while it is placed; once failover has removed it (its node
     * died), its lowest-numbered placed backup serves its shard in its place (§5.4.5, promotion), and the other backups
     * stay backups of that one. Backups take no traffic; the serving instance replicates its requests to them.
     */
    static String routingTable(AppSpec app, PlacementResult result, long version) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", version);
        ObjectNode services = root.putObject("services");
        for (ServiceSpec s : app.services()) {
            ObjectNode svc = services.putObject(s.name());
            svc.put("sharded", s.scaling() == Scaling.SHARDED);
            ArrayNode list = svc.putArray("instances");
            for (Map.Entry<String, List<Assignment>> shard : copies(s.name(), result).entrySet()) {
                List<Assignment> copies = shard.getValue();
                Assignment serving = copies.get(0);
                ObjectNode entry = list.addObject().put("id", serving.instance().id()).put("node", serving.nodeId());
                if (!serving.instance().id().equals(shard.getKey())) {
                    entry.put("shard", shard.getKey());
                }
                if (copies.size() > 1) {
                    ArrayNode backups = entry.putArray("backups");
                    for (Assignment b : copies.subList(1, copies.size())) {
                        backups.addObject().put("id", b.instance().id()).put("node", b.nodeId());
                    }
                }
            }
        }
        ArrayNode channels = root.putArray("channels");
        for (ChannelSpec c : app.channels()) {
            channels.addObject().put("from", c.from()).put("to", c.to()).put("routing", c.routing().manifestName());
        }
        return root.toString();
    }

    /**
     * The placed copies of each shard (or replica) of {@code service}, by the primary's id in ordinal order: the
     * serving one first (the primary if placed, else the lowest-numbered backup), then the other backups by number.
     */
    static Map<String, List<Assignment>> copies(String service, PlacementResult result) {
        Map<String, List<Assignment>> byShard = new java.util.TreeMap<>(java.util.Comparator
                .comparingInt((String id) -> Integer.parseInt(id.substring(id.lastIndexOf('.') + 1)))
                .thenComparing(id -> id));
        for (Assignment a : result.assignments()) {
            if (a.instance().service().equals(service)) {
                byShard.computeIfAbsent(shardOf(a), k -> new ArrayList<>()).add(a);
            }
        }
        byShard.values().forEach(l -> l.sort(java.util.Comparator.comparingInt(ControlPlaneManager::backupNumber)));
        return byShard;
    }

    /** The shard (or replica) {@code a} is a copy of: its primary's id. */
    static String shardOf(Assignment a) {
        return a.instance().isBackup() ? a.instance().primary() : a.instance().id();
    }

    /** 0 for a primary, j for its j-th backup. */
    static int backupNumber(Assignment a) {
        String id = a.instance().id();
        return a.instance().isBackup() ? Integer.parseInt(id.substring(id.lastIndexOf(".backup") + 7)) : 0;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        worker.shutdownNow();
    }
}
