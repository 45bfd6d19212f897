/**
 * Discrete-event simulation of whole E3 clusters with the same profiles, placement and orchestrator code as the
 * platform (docs/simulator.md). Start at {@link io.e3.simulator.Simulator}: a {@link io.e3.simulator.Scenario} (cluster
 * and apps) and a {@link io.e3.simulator.SimulationConfig} give a {@link io.e3.simulator.SimulationResult};
 * {@link io.e3.simulator.KneeSearch} finds the throughput at the knee; {@link io.e3.simulator.SimulatorBenchmark}
 * measures the simulator at scale.
 */
package io.e3.simulator;
