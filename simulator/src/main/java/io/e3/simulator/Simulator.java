package io.e3.simulator;

import java.util.Objects;

/**
 * A discrete-event simulation of an E3 cluster (docs/simulator.md): the scenario's apps placed by the controller's
 * placement strategy, requests served on the nodes' cores at the Table 5.1 service times, carried by the modelled
 * fabric, watched by the controller's orchestrator through simulated heartbeats.
 *
 * <pre>{@code
 * Scenario s = Scenario.fromManifests(List.of(Path.of("examples/clusters/3x-type1-smartnic.yaml"),
 *         Path.of("examples/apps/iot-ts.yaml")));
 * SimulationResult r = Simulator.place(s, SimulationConfig.builder().rate(20_000).durationSeconds(2).build())
 *         .run(p -> System.err.printf("%.1f s%n", p.simulatedSeconds()));
 * }</pre>
 *
 * Placement happens once, in {@link #place}; every {@link #run} starts afresh from it, so runs are independent and the
 * same configuration (seed included) gives the same result.
 */
public final class Simulator {

    private final Scenario scenario;
    private final Deployment deployment;
    private final SimulationConfig config;

    private Simulator(Scenario scenario, Deployment deployment, SimulationConfig config) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.config = Objects.requireNonNull(config, "config");
        if (!deployment.cluster().equals(scenario.cluster()) || !deployment.apps().equals(scenario.apps())) {
            throw new IllegalArgumentException("the deployment is not of this scenario's cluster and apps");
        }
        for (NodeFailure f : config.failures()) {
            if (scenario.cluster().node(f.nodeId()).isEmpty()) {
                throw new IllegalArgumentException("failure of unknown node '" + f.nodeId() + "' in cluster "
                        + scenario.cluster().name() + " (node ids look like s0/host, s0/nic0)");
            }
        }
    }

    /** Places the scenario's apps with {@code config}'s strategy, ready to run. */
    public static Simulator place(Scenario scenario, SimulationConfig config) {
        return new Simulator(scenario, Deployment.place(scenario.cluster(), scenario.apps(), config.placement()),
                config);
    }

    /** A simulator for a deployment placed before (to run several configurations on one placement). */
    public static Simulator of(Scenario scenario, Deployment deployment, SimulationConfig config) {
        return new Simulator(scenario, deployment, config);
    }

    /** The same scenario and deployment with another configuration (its placement strategy is not used again). */
    public Simulator with(SimulationConfig other) {
        return new Simulator(scenario, deployment, other);
    }

    public Scenario scenario() {
        return scenario;
    }

    public Deployment deployment() {
        return deployment;
    }

    public SimulationConfig config() {
        return config;
    }

    /** Runs the simulation without progress reports. */
    public SimulationResult run() {
        return run(ProgressListener.NONE);
    }

    /**
     * Runs the simulation, telling {@code listener} how it goes every {@link SimulationConfig#progressEverySeconds()}
     * of simulated time.
     *
     * @throws IllegalArgumentException if no driven app can serve requests (a service with no placed instance)
     */
    public SimulationResult run(ProgressListener listener) {
        return new Run(scenario, deployment, config, Objects.requireNonNull(listener, "listener")).execute();
    }
}
