package io.e3.model.energy;

import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.CoreClass;
import io.e3.model.topology.NodeKind;
import io.e3.model.topology.Server;
import io.e3.model.topology.ServerTypes;

/**
 * E3's one energy model, used by placement, the node agents, the demo and every report. Every figure it gives is
 * <b>modelled</b> from the chapter's tables, not measured.
 *
 * <p><b>Active energy</b> (Table 5.1). A request of type t on a core of class c costs {@code 1 / RPJ(t, c)} joules of
 * active energy at 512 B, where RPJ is the table's requests-per-joule column (Host (DPDK) for beefy cores, SmartNIC
 * for wimpy ones). The RPJ column is used rather than W / RPS because the table rounds RPS to two digits (the API
 * gateway's SmartNIC 0.1M RPS, for one): W / RPS would be up to 22 % off the measured RPJ. A request of another size
 * costs in proportion to its service time ({@link MicroserviceProfile#serviceTimeSeconds(CoreClass, int)}), since a busy
 * core draws the same power whatever it works on: {@link #wattsPerBusyCore} = per-core RPS / RPJ.
 *
 * <p><b>Idle power</b> (Table 5.4). A server draws its idle power once, whatever runs on it; its host and SmartNICs
 * share it. For attribution to nodes, each SmartNIC carries {@value #SMARTNIC_IDLE_WATTS} W (Type1-SmartNIC idles at
 * 98 W, the same Beefy host with a LiquidIO in place of its NIC at 83 W) and the host the rest.
 *
 * <p><b>Energy efficiency</b> (§5.6): requests per joule = throughput / (idle + active power), wall power as the
 * chapter's figures use it, not active power alone.
 */
public final class EnergyModel {

    /** Idle watts of one LiquidIO SmartNIC: Table 5.4, Type1-SmartNIC idle 98 W − Beefy idle 83 W. */
    public static final double SMARTNIC_IDLE_WATTS =
            ServerTypes.TYPE1_SMARTNIC.idleWatts() - ServerTypes.BEEFY.idleWatts();

    private EnergyModel() {
    }

    /** Requests per joule of active energy for {@code type} on {@code coreClass} at 512 B (Table 5.1 RPJ). */
    public static double requestsPerJoule(MicroserviceType type, CoreClass coreClass) {
        return MicroserviceProfile.of(type).requestsPerJoule(coreClass);
    }

    /** Joules of active energy one request of {@code requestBytes} costs {@code type} on {@code coreClass}. */
    public static double joulesPerRequest(MicroserviceType type, CoreClass coreClass, int requestBytes) {
        MicroserviceProfile p = MicroserviceProfile.of(type);
        double sizeFactor = p.serviceTimeSeconds(coreClass, requestBytes) / p.serviceTimeSeconds(coreClass);
        return sizeFactor / p.requestsPerJoule(coreClass);
    }

    /** Active watts one core of {@code coreClass} draws while busy with {@code type}: per-core RPS / RPJ. */
    public static double wattsPerBusyCore(MicroserviceType type, CoreClass coreClass) {
        MicroserviceProfile p = MicroserviceProfile.of(type);
        return p.perCoreRps(coreClass) / p.requestsPerJoule(coreClass);
    }

    /** Active watts of {@code type} serving {@code requestsPerSecond} requests of {@code requestBytes} on {@code coreClass}. */
    public static double activeWatts(MicroserviceType type, CoreClass coreClass, double requestsPerSecond,
                                     int requestBytes) {
        if (!(requestsPerSecond >= 0)) {
            throw new IllegalArgumentException("requests per second must be >= 0, got " + requestsPerSecond);
        }
        return requestsPerSecond * joulesPerRequest(type, coreClass, requestBytes);
    }

    /** Active watts of {@code type} keeping {@code busyCores} cores of {@code coreClass} busy (runtime, measured share). */
    public static double activeWattsOfBusyCores(MicroserviceType type, CoreClass coreClass, double busyCores) {
        if (!(busyCores >= 0)) {
            throw new IllegalArgumentException("busy cores must be >= 0, got " + busyCores);
        }
        return busyCores * wattsPerBusyCore(type, coreClass);
    }

    /** The share of its server's idle power attributed to {@code node}, in watts. */
    public static double idleWatts(Server server, ComputeNode node) {
        if (!node.serverId().equals(server.id())) {
            throw new IllegalArgumentException(node.id() + " is not a node of server " + server.id());
        }
        int nics = server.smartNics().size();
        double idle = server.type().idleWatts();
        double perNic = nics == 0 ? 0 : Math.min(SMARTNIC_IDLE_WATTS, idle / (nics + 1));
        return node.kind() == NodeKind.SMARTNIC ? perNic : idle - nics * perNic;
    }

    /**
     * Requests per joule of one app among others on a cluster: its requests per second over its active power plus
     * the cluster's idle power in proportion to the app's share of all active power. For an app alone on the cluster
     * that is throughput over the cluster's wall power (§5.6); 0 when the app draws nothing.
     *
     * @param appRequestsPerSecond the app's client requests per second
     * @param appActiveWatts       the active power of the app's load
     * @param clusterActiveWatts   the active power of all load on the cluster, the app's included
     * @param clusterIdleWatts     the idle power of all the cluster's servers
     */
    public static double appRequestsPerJoule(double appRequestsPerSecond, double appActiveWatts,
                                             double clusterActiveWatts, double clusterIdleWatts) {
        if (!(appActiveWatts > 0) || !(clusterActiveWatts > 0)) {
            return 0;
        }
        double idleShare = clusterIdleWatts * Math.min(1, appActiveWatts / clusterActiveWatts);
        return requestsPerJoule(appRequestsPerSecond, appActiveWatts + idleShare);
    }

    /** Requests per joule of wall energy: {@code requestsPerSecond / watts}; 0 when nothing is drawn. */
    public static double requestsPerJoule(double requestsPerSecond, double watts) {
        return watts > 0 ? requestsPerSecond / watts : 0;
    }
}
