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

    /** Records that {@code app} now runs as {@code result} with routing table {@code table}. */
    synchronized void update(String app, PlacementResult result, String table) {
        placements.put(app, result);
        routes.put(app, table);
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

    synchronized ClusterSnapshot snapshot() {
        ClusterSnapshot s = ClusterSnapshot.EMPTY;
        for (Map.Entry<String, PlacementResult> e : placements.entrySet()) {
            s = s.with(config.cluster(), apps.get(e.getKey()), e.getValue());
        }
        return s;
    }

    /**
     * The agents' routing table for an app (docs/node-agent.md): for each shard or replica of each service, the
     * instance serving it with its backups. A primary serves while it is placed; once failover has removed it (its node
     * died), its lowest-numbered placed backup serves its shard in its place (§5.4.5, promotion), and the other backups
     * stay backups of that one. Backups take no traffic; the serving instance replicates its requests to them.
     */
    static String routingTable(AppSpec app, PlacementResult result) {
        ObjectNode root = JSON.createObjectNode();
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
                String shard = a.instance().isBackup() ? a.instance().primary() : a.instance().id();
                byShard.computeIfAbsent(shard, k -> new ArrayList<>()).add(a);
            }
        }
        byShard.values().forEach(l -> l.sort(java.util.Comparator.comparingInt(ControlPlaneManager::backupNumber)));
        return byShard;
    }

    /** 0 for a primary, j for its j-th backup. */
    static int backupNumber(Assignment a) {
        String id = a.instance().id();
        return a.instance().isBackup() ? Integer.parseInt(id.substring(id.lastIndexOf(".backup") + 7)) : 0;
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
