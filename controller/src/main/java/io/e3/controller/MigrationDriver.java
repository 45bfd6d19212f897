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
import org.jboss.logging.Logger;

/**
 * The migration driver (§5.4.4): cold migrations, by hand ({@code POST /v1/migrations}) or on the orchestrator's
 * decisions, run on the control-plane thread so they never race a placement.
 */
@ApplicationScoped
public class MigrationDriver {

    private static final Logger LOG = Logger.getLogger(MigrationDriver.class);

    @Inject
    ControlPlaneManager manager;

    @Inject
    ControllerConfig config;

    @Inject
    AgentClient agents;

    @Inject
    Migrations migrations;

    @Inject
    StateKeeper state;

    @Inject
    ControllerMetrics metrics;

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
        app = instanceId.contains("/") ? instanceId.substring(0, instanceId.indexOf('/')) : "";
        at = manager.assignment(instanceId);
        if (at == null) {
            throw new MigrationRefused("instance: no running instance '" + instanceId + "'");
        }
        if (config.cluster().node(toNode).isEmpty()) {
            throw new MigrationRefused("to: no compute node '" + toNode + "' in cluster " + config.cluster().name());
        }
        if (manager.isDown(toNode)) {
            throw new MigrationRefused("to: " + toNode + " is declared down");
        }
        if (at.nodeId().equals(toNode)) {
            throw new MigrationRefused("to: " + instanceId + " already runs on " + toNode);
        }
        long id = migrations.start(instanceId, at.nodeId(), toNode, reason);
        String appName = app;
        manager.submit(() -> runMigration(id, appName, at, toNode));
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
        boolean switched = false;
        long t0 = System.nanoTime();
        state.migrating(app, id, instance, from, to);
        try {
            agents.deploy(to, instance, at.instance().type().manifestName(), Math.max(1, at.reserved().memoryMiB()));
            deployed = true;
            migrations.step(id, "deployed on " + to + " at " + ms(t0) + " ms");
            agents.drain(from, instance);
            drained = true;
            migrations.step(id, "drained on " + from + " at " + ms(t0) + " ms");
            byte[] bytes = agents.snapshot(from, instance);
            agents.restore(to, instance, bytes);
            migrations.step(id, "moved " + bytes.length + " bytes of state at " + ms(t0) + " ms");
            ControlPlaneManager.Published published = manager.relocate(app, instance, to);
            switched = true;
            migrations.step(id, "routes version " + published.version() + " recorded and switched at " + ms(t0)
                    + " ms" + (published.behind().isEmpty() ? "" : "; pending on " + published.behind()
                    + " (the reconciler catches them up)"));
            if (published.behind().isEmpty()) {
                try {
                    agents.undeploy(from, instance);
                    migrations.step(id, "undeployed on " + from + " at " + ms(t0) + " ms");
                } catch (AgentClient.AgentException e) {
                    migrations.step(id, "undeploy on " + from + " failed (the reconciler removes it): "
                            + e.getMessage());
                }
            } else {
                migrations.step(id, "the drained copy on " + from + " stays until every live agent has the new "
                        + "routes; the reconciler removes it then");
            }
            state.migrated(app, id);
            migrations.finish(id, Migrations.Phase.SUCCEEDED, (long) bytes.length, null);
            return true;
        } catch (AgentClient.AgentException | RuntimeException e) {
            if (switched) {
                // The switch is recorded: the target has the state and the routes point at it; the reconciler
                // finishes what is left (routes, the source copy).
                LOG.warnf("migration %d after its switch: %s (the reconciler finishes it)", id, e.getMessage());
                state.migrated(app, id);
                migrations.finish(id, Migrations.Phase.SUCCEEDED, null, null);
                manager.reconcileSoon();
                return true;
            }
            if (deployed) {
                try {
                    agents.undeploy(to, instance);
                } catch (AgentClient.AgentException x) {
                    LOG.warnf("rollback of migration %d on %s: %s (the reconciler removes it)", id, to,
                            x.getMessage());
                }
            }
            if (drained) {
                try {
                    agents.resume(from, instance);
                } catch (AgentClient.AgentException x) {
                    LOG.warnf("rollback of migration %d on %s: %s (the reconciler resumes it)", id, from,
                            x.getMessage());
                }
            }
            state.migrated(app, id);
            migrations.finish(id, Migrations.Phase.ROLLED_BACK, null, e.getMessage());
            return false;
        }
    }

    /**
     * Where the orchestrator's choice should go (§5.4.4: "to the host"): the host of the instance's own server if it
     * has the memory and is not {@code avoid}, else the host with the most free memory that has room; empty if none
     * has room.
     */
    public Optional<String> hostFor(String instanceId, String avoid) {
        Assignment at = manager.assignment(instanceId);
        if (at == null) {
            return Optional.empty();
        }
        ClusterSnapshot usage = manager.snapshot();
        long need = at.reserved().memoryMiB();
        String own = config.cluster().node(at.nodeId()).map(n -> config.cluster().server(n.serverId()).orElseThrow()
                .host().id()).orElse(null);
        String best = null;
        long bestFree = -1;
        for (io.e3.model.topology.Server s : config.cluster().servers()) {
            ComputeNode h = s.host();
            long free = h.capacity().memoryMiB() - usage.usageOf(h.id()).memoryMiB();
            if (h.id().equals(avoid) || free < need || manager.isDown(h.id())) {
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

}
