package io.e3.simulator;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.InstanceStats;
import io.e3.orchestrator.DataPlaneOrchestrator;
import io.e3.orchestrator.Membership;
import io.e3.orchestrator.MigrationDecision;
import io.e3.orchestrator.NodeEvent;
import io.e3.orchestrator.OrchestratorSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every node's heartbeat, once per period of simulated time (§5.4.4): the figures a node agent sends (traffic-manager
 * queue depth, bytes in and out per second, per instance requests, mean execution time from arrival to completion and
 * CPU share), handed to the controller's own {@link DataPlaneOrchestrator} and {@link Membership}. Their decisions
 * come back as migrations to start and nodes declared down.
 *
 * <p>Each beat also sets each SmartNIC's traffic-manager pressure Σ κ_i·min(1, u_i / cores) from the window, as the
 * agents' heartbeat sender does, whether or not the orchestrator is on.
 */
final class Heartbeats {

    private final Engine engine;
    private final Fabric fabric;
    private final Workload workload;
    private final InstanceWindows windows;
    private final DataPlaneOrchestrator orchestrator;
    private final Membership membership;
    private final long periodNanos;
    private final long[] sequence;
    private final double[] kappa;
    private final Decisions onDecision;
    private final NodesDown onDown;
    long sent;

    /** Told of each migration the orchestrator decides. */
    @FunctionalInterface
    interface Decisions {
        void decided(MigrationDecision decision, long now);
    }

    /** Told of each node the membership declares down, by node number. */
    @FunctionalInterface
    interface NodesDown {
        void down(int node, long now);
    }

    Heartbeats(Engine engine, OrchestratorSettings settings, boolean orchestrate, double periodMillis,
               Decisions onDecision, NodesDown onDown) {
        this.engine = engine;
        this.fabric = engine.fabric;
        this.workload = engine.workload;
        this.windows = engine.windows;
        this.orchestrator = orchestrate ? new DataPlaneOrchestrator(fabric.cluster, settings) : null;
        this.membership = new Membership(fabric.cluster, settings, 0);
        this.periodNanos = Math.round(periodMillis * 1e6);
        this.sequence = new long[fabric.size()];
        this.kappa = new double[workload.instances()];
        for (int i = 0; i < kappa.length; i++) {
            kappa[i] = TrafficManagers.interference(workload.instanceType[i]);
        }
        this.onDecision = onDecision;
        this.onDown = onDown;
    }

    void start() {
        engine.schedule(periodNanos, Engine.HEARTBEAT, 0);
    }

    Optional<DataPlaneOrchestrator> orchestrator() {
        return Optional.ofNullable(orchestrator);
    }

    /** All live nodes beat at {@code now}; then the membership looks for nodes gone quiet. */
    void beat(long now) {
        long nowMillis = now / 1_000_000;
        for (int n = 0; n < fabric.size(); n++) {
            if (!fabric.dead[n]) {
                beat(n, now, nowMillis);
            }
        }
        for (NodeEvent e : membership.check(nowMillis)) {
            if (!e.up()) {
                onDown.down(fabric.indexOf(e.nodeId()), now);
            }
        }
        engine.schedule(now + periodNanos, Engine.HEARTBEAT, 0);
    }

    private void beat(int n, long now, long nowMillis) {
        membership.heartbeat(n, nowMillis);
        IntList here = workload.onNode[n];
        int cores = fabric.cores[n];
        double pressure = 0;
        List<InstanceStats> stats = orchestrator == null ? null : new ArrayList<>(here.size());
        for (int k = 0; k < here.size(); k++) {
            int inst = here.get(k);
            float share = windows.cpuShare(inst, periodNanos, cores);
            pressure += kappa[inst] * Math.min(1, share / cores);
            if (stats != null) {
                stats.add(new InstanceStats(workload.instanceIds[inst], windows.requests[inst], 0,
                        windows.meanSojourn(inst), share));
            }
            windows.reset(inst);
        }
        int depth = 0;
        if (fabric.smartNic[n]) {
            fabric.trafficManagers.setPressure(n, pressure);
            depth = fabric.trafficManagers.depth(n, now);
        }
        if (orchestrator != null) {
            Heartbeat hb = new Heartbeat(fabric.nodes[n].id(), sequence[n]++, nowMillis,
                    (int) Math.max(1, periodNanos / 1_000_000), depth, perSecond(fabric.bytesIn[n]),
                    perSecond(fabric.bytesOut[n]), stats);
            sent++;
            orchestrator.onHeartbeat(hb, nowMillis).ifPresent(d -> onDecision.decided(d, now));
        }
        fabric.bytesIn[n] = 0;
        fabric.bytesOut[n] = 0;
    }

    private long perSecond(long bytes) {
        return Math.round(bytes * 1e9 / periodNanos);
    }
}
