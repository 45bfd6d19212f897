package io.e3.simulator;

import io.e3.model.energy.EnergyModel;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.Server;
import io.e3.simulator.SimulationResult.EngineStats;
import io.e3.simulator.SimulationResult.InstanceReport;
import io.e3.simulator.SimulationResult.Latency;
import io.e3.simulator.SimulationResult.NodeReport;
import io.e3.simulator.SimulationResult.Power;
import io.e3.simulator.SimulationResult.ScenarioSummary;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * One run of a simulation: builds fresh state from the deployment, schedules the client, heartbeats, failures, load
 * steps and progress reports, runs the engine, and sums up. Runs share nothing, so the same inputs give the same
 * result.
 */
final class Run implements EngineHandlers {

    private final Scenario scenario;
    private final Deployment deployment;
    private final SimulationConfig config;
    private final ProgressListener listener;
    private final Fabric fabric;
    private final Workload workload;
    private final Engine engine;
    private final Relocations relocations;
    private final Heartbeats heartbeats;
    private final int[] failureNodes;
    private final int[] driven;
    private final long progressNanos;
    private ClientDriver client;
    private long wallStart;

    Run(Scenario scenario, Deployment deployment, SimulationConfig config, ProgressListener listener) {
        this.scenario = scenario;
        this.deployment = deployment;
        this.config = config;
        this.listener = listener;
        this.fabric = new Fabric(deployment.cluster(), config.fabric(), config.coreQueueing());
        this.workload = new Workload(deployment, fabric, config.requestBytes());
        this.engine = new Engine(fabric, workload, config);
        this.relocations = new Relocations(engine, config.migrationSetupMillis());
        this.heartbeats = new Heartbeats(engine, config.orchestrator(), config.orchestrate(), config.heartbeatMillis(),
                relocations::migrate, relocations::failover);
        heartbeats.orchestrator().ifPresent(relocations::orchestrator);
        this.failureNodes = config.failures().stream().mapToInt(f -> fabric.indexOf(f.nodeId())).toArray();
        this.driven = drivenApps();
        this.progressNanos = Math.round(config.progressEverySeconds() * 1e9);
        engine.handlers(this);
    }

    private int[] drivenApps() {
        List<Integer> out = new ArrayList<>();
        List<String> unservable = new ArrayList<>();
        for (int a = 0; a < workload.apps(); a++) {
            if (scenario.driven().contains(workload.appNames[a])) {
                if (workload.servable(a)) {
                    out.add(a);
                } else {
                    unservable.add(workload.appNames[a]);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no driven app can serve requests: some service of each of "
                    + unservable + " has no placed instance");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    SimulationResult execute() {
        client = new ClientDriver(engine, driven, config.client(), config.seed());
        heartbeats.start();
        for (int i = 0; i < failureNodes.length; i++) {
            engine.schedule(nanos(config.failures().get(i).atSeconds()), Engine.FAILURE, i);
        }
        for (int i = 0; i < config.loadSteps().size(); i++) {
            engine.schedule(nanos(config.loadSteps().get(i).atSeconds()), Engine.LOAD_STEP, i);
        }
        engine.schedule(progressNanos, Engine.PROGRESS, 0);
        client.start(config.client().outstanding());
        wallStart = System.nanoTime();
        engine.run();
        double wall = (System.nanoTime() - wallStart) / 1e9;
        return result(wall);
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    @Override
    public void arrival(long now) {
        client.arrival(now);
    }

    @Override
    public void completed(int call, long now) {
        client.completed(call, now);
    }

    @Override
    public void heartbeat(long now) {
        heartbeats.beat(now);
    }

    @Override
    public void failure(int index, long now) {
        relocations.kill(failureNodes[index], now);
    }

    @Override
    public void loadStep(int index, long now) {
        client.setRate(config.loadSteps().get(index).rate());
    }

    @Override
    public void migrated(int index, long now) {
        relocations.migrated(index, now);
    }

    @Override
    public void progress(long now) {
        listener.progress(new Progress(now / 1e9, config.durationSeconds(), engine.events, client.completedMeasured,
                (System.nanoTime() - wallStart) / 1e9));
        engine.schedule(now + progressNanos, Engine.PROGRESS, 0);
    }

    private SimulationResult result(double wall) {
        double window = (engine.endNanos - engine.warmupNanos) / 1e9;
        List<NodeReport> nodes = new ArrayList<>(fabric.size());
        double active = 0;
        for (int n = 0; n < fabric.size(); n++) {
            ComputeNode node = fabric.nodes[n];
            Server server = deployment.cluster().server(node.serverId()).orElseThrow();
            double watts = engine.activeJoules[n] / window;
            active += watts;
            double util = Math.min(1, fabric.busyNanos[n] / (fabric.cores[n] * window * 1e9));
            nodes.add(new NodeReport(node.id(), node.kind().name(), workload.onNode[n].size(), util, watts,
                    EnergyModel.idleWatts(server, node), fabric.trafficManagers.forwarded(n)));
        }
        List<InstanceReport> instances = new ArrayList<>(workload.instances());
        for (int i = 0; i < workload.instances(); i++) {
            instances.add(new InstanceReport(workload.instanceIds[i], fabric.nodes[workload.instanceNode[i]].id(),
                    workload.isServing[i], engine.windows.served[i]));
        }
        double idle = deployment.cluster().idleWatts();
        double throughput = client.completedMeasured / window;
        Power power = new Power(true, idle, active, idle + active, (idle + active) * window,
                EnergyModel.requestsPerJoule(throughput, idle + active));
        ScenarioSummary summary = new ScenarioSummary(deployment.cluster().name(),
                deployment.cluster().servers().size(), fabric.size(), workload.apps(), driven.length,
                workload.instances(), deployment.unplacedInstances(), deployment.algorithm(),
                deployment.placementMillis());
        EngineStats stats = new EngineStats(engine.events, wall, wall > 0 ? engine.events / wall : 0, heartbeats.sent,
                heartbeats.orchestrator().map(o -> o.decisions()).orElse(0L), engine.retransmissions,
                fabric.trafficManagers.dropped(), engine.calls.live());
        return new SimulationResult(summary, config.client(), config.durationSeconds(), config.warmupSeconds(),
                config.seed(), client.sentMeasured, client.completedMeasured, throughput, latency(client.latency),
                power, nodes, instances, relocations.migrations, relocations.failovers, stats);
    }

    private static Latency latency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0, 0);
        }
        return new Latency(h.getTotalCount(), h.getMean() / 1e3, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }
}
