package io.e3.agent;

import io.e3.agent.http.Families;
import io.e3.agent.net.Frame;
import io.e3.agent.rpc.RpcStats;
import io.e3.model.energy.EnergyModel;
import io.e3.model.topology.Server;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import java.util.Locale;

/**
 * The Prometheus metrics of one node agent, in a registry of its own (many agents share a JVM in an embedded
 * cluster). Base units throughout; durations are emulated time (real time divided by D); power and energy are
 * <b>modelled</b> by {@link EnergyModel}, not measured:
 *
 * <pre>
 *   P_node = P_idle(node) + Σ_i b_i · w(type_i, core class)
 * </pre>
 *
 * where P_idle(node) is the node's share of its server's idle power (Table 5.4; {@link EnergyModel#idleWatts}), b_i
 * the cores instance i kept busy over the last window and w the active watts per busy core of its type on this kind of
 * core (Table 5.1: per-core RPS / RPJ). Energy integrates each part over emulated time, and is exported the way Kepler
 * exports it: a joules counter per node with {@code mode="idle"} and {@code mode="dynamic"}, whose rate is the power.
 */
public final class AgentMetrics {

    private final CollectorRegistry registry = new CollectorRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final Counter energy;
    private final double idleWatts;
    private volatile double utilisation;
    private volatile double powerWatts;

    public AgentMetrics(NodeAgent agent, Server server) {
        this.idleWatts = EnergyModel.idleWatts(server, agent.node());
        this.powerWatts = idleWatts;
        energy = Counter.build("e3_node_energy_joules", "Energy of the node over emulated time, by mode: idle "
                        + "(its share of the server's idle power, Table 5.4) or dynamic (its instances' active power, "
                        + "Table 5.1); modelled, not measured").labelNames("mode").register(registry);
        energy.labels("idle");
        energy.labels("dynamic");
        requests = Counter.build("e3_requests", "Requests served, by instance and outcome (ok or the failure status)")
                .labelNames("instance", "status").register(registry);
        latency = Histogram.build("e3_request_duration_seconds",
                        "Time from arrival at the node to completion on its emulated core, emulated seconds")
                .labelNames("instance")
                .exponentialBuckets(1e-6, 4, 13)
                .register(registry);
        RpcStats rpc = agent.endpoint().stats();
        Families f = new Families()
                .counter("e3_datagrams_received", "Datagrams this node received", () -> agent.datagramsIn())
                .counter("e3_datagrams_sent", "Datagrams this node sent", () -> agent.datagramsOut())
                .counter("e3_network_received_bytes", "Bytes this node received", () -> agent.bytesIn())
                .counter("e3_network_sent_bytes", "Bytes this node sent", () -> agent.bytesOut())
                .counter("e3_malformed_datagrams", "Datagrams dropped as malformed (bad header, checksum or fields)",
                        rpc.malformedDatagrams::sum)
                .counter("e3_misrouted_datagrams", "Datagrams dropped because they were for another address",
                        rpc.misroutedDatagrams::sum)
                .counter("e3_channel_requests_sent", "Requests this node sent on lossless channels",
                        rpc.requestsSent::sum)
                .counter("e3_channel_retransmissions", "Requests sent again after a retransmission timeout",
                        rpc.retransmissions::sum)
                .counter("e3_channel_unreachable", "Requests given up after no sign of life from the responder",
                        rpc.unreachable::sum)
                .counter("e3_channel_requests_received", "Distinct requests this node received",
                        rpc.requestsReceived::sum)
                .counter("e3_channel_duplicate_requests", "Copies of requests already received, answered without "
                        + "running them again", rpc.duplicateRequests::sum)
                .counter("e3_channel_duplicate_responses", "Copies of responses already received, dropped",
                        rpc.duplicateResponses::sum)
                .counter("e3_control_requests", "Control API requests", agent.httpStats().requests::sum)
                .counter("e3_malformed_control_requests", "Control API requests refused as malformed or "
                        + "unauthorised", agent.httpStats().malformed::sum)
                .counter("e3_unauthorized_control_requests", "Control API requests without the cluster token",
                        agent.httpStats().unauthorized::sum)
                .counter("e3_governor_overruns", "Requests whose real execution outlasted their emulated service "
                        + "time (raise the dilation factor if this grows)", agent.engine().overruns::sum)
                .counter("e3_instance_failures", "Instances stopped by a fault they caused (runaway, memory)",
                        agent.engine().instanceFailures::sum)
                .counter("e3_service_exceptions", "Requests failed by an exception in service code",
                        agent.engine().serviceExceptions::sum)
                .counter("e3_heartbeats_sent", "Heartbeats sent to the controller", agent::heartbeatsSent)
                .counter("e3_channel_rerouted", "Calls that followed a moved instance to its new node",
                        agent::rerouted)
                .counter("e3_replicated_requests", "Requests of this node's instances that their backups applied",
                        () -> agent.replicationCounts()[0])
                .counter("e3_replication_batches", "Batches of requests sent to backups",
                        () -> agent.replicationCounts()[1])
                .counter("e3_replication_failures", "Batches that reached no backup; that backup is skipped until "
                        + "the controller restores it", () -> agent.replicationCounts()[2])
                .gauge("e3_instances", "Instances deployed", () -> agent.engine().view().size())
                .gauge("e3_node_cores", "Emulated cores", () -> agent.node().capacity().cores())
                .gauge("e3_node_memory_reserved_bytes", "Memory reserved by deployed instances",
                        () -> agent.engine().reservedMiB() * 1024.0 * 1024)
                .gauge("e3_node_memory_capacity_bytes", "Memory of the emulated node",
                        () -> agent.node().capacity().memoryMiB() * 1024.0 * 1024)
                .gauge("e3_node_utilisation_ratio", "Share of the node's cores busy over the last window",
                        () -> utilisation)
                .gauge("e3_node_power_watts", "Power of the node over the last window, idle plus dynamic "
                        + "(modelled from Tables 5.1 and 5.4; rate(e3_node_energy_joules_total) gives the same)",
                        () -> powerWatts)
                .gauge("e3_dilation_factor", "Emulated time is stretched by this factor D",
                        () -> agent.config().emulation().dilation());
        agent.trafficManager().ifPresent(tm -> f
                .gauge("e3_tm_queue_depth_packets", "Host-bound packets waiting in the SmartNIC traffic manager",
                        tm::depth)
                .counter("e3_tm_forwarded_packets", "Packets the traffic manager passed to the host", tm::forwarded)
                .counter("e3_tm_dropped_packets", "Packets the traffic manager dropped on a full queue", tm::dropped)
                .counter("e3_tm_duplicate_packets", "Retransmitted requests dropped because a copy was already "
                        + "queued", tm::duplicates)
                .gauge("e3_tm_slowdown_ratio", "Forwarding slowdown from SmartNIC interference, 1 + beta * "
                        + "pressure (modelled)", tm::slowdown));
        registry.register(f);
    }

    public CollectorRegistry registry() {
        return registry;
    }

    /** Records one finished request. */
    public void observe(String instance, Frame.Status status, double emulatedSeconds) {
        requests.labels(instance, status.name().toLowerCase(Locale.ROOT)).inc();
        latency.labels(instance).observe(emulatedSeconds);
    }

    /**
     * Updates utilisation, power and energy for a window of {@code emulatedSeconds} in which the node's instances drew
     * {@code activeWatts} ({@link EnergyModel#activeWattsOfBusyCores}).
     */
    public synchronized void tick(double utilisation, double activeWatts, double emulatedSeconds) {
        this.utilisation = utilisation;
        this.powerWatts = idleWatts + activeWatts;
        energy.labels("idle").inc(idleWatts * emulatedSeconds);
        energy.labels("dynamic").inc(activeWatts * emulatedSeconds);
    }

    public double powerWatts() {
        return powerWatts;
    }

    /** Joules used so far, idle and dynamic (modelled). */
    public synchronized double energyJoules() {
        return energy.labels("idle").get() + energy.labels("dynamic").get();
    }
}
