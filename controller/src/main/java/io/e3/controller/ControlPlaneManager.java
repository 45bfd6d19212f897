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

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "e3-control-plane");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, PlacementResult> placements = new LinkedHashMap<>();
    private final Map<String, String> routes = new LinkedHashMap<>();

    /** Records and schedules an applied app; returns whether it replaced one of the same name. */
    public boolean apply(AppManifest manifest, String text) {
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
            registry.delete(name);
        });
        return true;
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
                registry.phase(name, Phase.FAILED, result.unplaced().size() + " of " + app.instanceCount()
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
                }
            } catch (AgentClient.AgentException e) {
                rollback(name, deployed);
                registry.phase(name, Phase.FAILED, "deploy failed, rolled back: " + e.getMessage());
                return;
            }
            long nodes = result.assignments().stream().map(Assignment::nodeId).distinct().count();
            registry.phase(name, Phase.RUNNING, result.assignments().size() + " instances on " + nodes + " nodes");
        } catch (RuntimeException e) {
            LOG.error("placing " + name, e);
            registry.phase(name, Phase.FAILED, "internal error: " + e);
        }
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
