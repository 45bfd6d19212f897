package io.e3.simulator;

import java.util.List;
import java.util.Objects;

/**
 * What a run measured, as plain records that Jackson writes as JSON. Throughput and latency cover the measured window
 * (after the warm-up); power and energy are <b>modelled</b> from the chapter's tables ({@code EnergyModel}), never
 * measured.
 *
 * @param scenario       what was simulated
 * @param client         the client model (its rate is the one at the start; see {@code config.loadSteps})
 * @param durationSeconds simulated seconds run
 * @param warmupSeconds  simulated seconds left out at the start
 * @param seed           the seed
 * @param sent           client requests sent in the measured window
 * @param completed      client requests completed in the measured window
 * @param throughput     completed requests per simulated second in the measured window
 * @param latency        latency of the requests that arrived in the measured window and completed, from their
 *                       intended arrival time
 * @param power          modelled power and energy over the measured window
 * @param nodes          per compute node: utilisation and modelled power
 * @param instances      per instance: where it ended and how many requests it served
 * @param migrations     migrations decided by the orchestrator, in order
 * @param failovers      nodes declared down and what became of their instances
 * @param engine         the simulator's own figures
 */
public record SimulationResult(ScenarioSummary scenario, ClientModel client, double durationSeconds,
                               double warmupSeconds, long seed, long sent, long completed, double throughput,
                               Latency latency, Power power, List<NodeReport> nodes,
                               List<InstanceReport> instances, List<MigrationRecord> migrations, List<FailoverRecord> failovers, EngineStats engine) {

    public SimulationResult {
        Objects.requireNonNull(scenario, "scenario");
        nodes = List.copyOf(nodes);
        instances = List.copyOf(instances);
        migrations = List.copyOf(migrations);
        failovers = List.copyOf(failovers);
    }

    /**
     * The scenario in figures.
     *
     * @param cluster           cluster name
     * @param servers           servers
     * @param computeNodes      hosts and SmartNICs
     * @param apps              apps deployed
     * @param drivenApps        apps the client sent requests to (those with every service placed)
     * @param instances         instances placed
     * @param unplacedInstances instances placement could not place
     * @param placement         the placement strategy
     * @param placementMillis   wall time placement took
     */
    public record ScenarioSummary(String cluster, int servers, int computeNodes, int apps, int drivenApps,
                                  int instances, int unplacedInstances, String placement, double placementMillis) {
    }

    /**
     * Latency of client requests in microseconds (HdrHistogram, 3 significant digits); all 0 when none completed.
     *
     * @param count requests recorded
     */
    public record Latency(long count, double meanMicros, double p50Micros, double p90Micros, double p99Micros,
                          double p999Micros, double maxMicros) {
    }

    /**
     * Modelled power over the measured window: idle power of every server (Table 5.4) plus the active power of the
     * requests served (Table 5.1, by type, core class and size).
     *
     * @param modelled         always true: these figures come from the energy model, not from a meter
     * @param idleWatts        the cluster's idle power
     * @param activeWatts      mean active power of the requests served
     * @param totalWatts       idle plus active
     * @param energyJoules     total power times the measured window
     * @param requestsPerJoule throughput over total power (§5.6); 0 when nothing completed
     */
    public record Power(boolean modelled, double idleWatts, double activeWatts, double totalWatts, double energyJoules,
                        double requestsPerJoule) {
    }

    /**
     * One compute node over the measured window.
     *
     * @param id          node id
     * @param kind        HOST or SMARTNIC
     * @param instances   instances on it at the end
     * @param utilisation core time admitted over core time available, in [0, 1]
     * @param activeWatts modelled mean active power
     * @param idleWatts   its share of its server's idle power (modelled)
     * @param forwardedPackets for a SmartNIC, packets its traffic manager passed to its host; 0 for a host
     */
    public record NodeReport(String id, String kind, int instances, double utilisation, double activeWatts,
                             double idleWatts, long forwardedPackets) {
    }

    /**
     * One instance at the end of the run.
     *
     * @param id       instance id
     * @param node     the node it ended on
     * @param serving  whether it serves its shard or replica (a primary, or a backup promoted by failover)
     * @param requests requests it ran in the measured window
     */
    public record InstanceReport(String id, String node, boolean serving, long requests) {
    }

    /**
     * The simulator's own figures.
     *
     * @param events               events processed
     * @param wallSeconds          wall time of the run (placement not included)
     * @param eventsPerSecond      events per second of wall time
     * @param heartbeats           heartbeats handed to the orchestrator
     * @param decisions            migration decisions the orchestrator made
     * @param retransmissions      datagrams sent again after the fabric dropped them
     * @param trafficManagerDrops  packets the SmartNIC traffic managers dropped
     * @param inFlightAtEnd        calls still in flight when the run ended
     */
    public record EngineStats(long events, double wallSeconds, double eventsPerSecond, long heartbeats, long decisions,
                              long retransmissions, long trafficManagerDrops, long inFlightAtEnd) {
    }
}
