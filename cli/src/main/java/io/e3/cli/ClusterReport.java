package io.e3.cli;

import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.NodeKind;
import io.e3.model.topology.Rack;
import io.e3.model.topology.Server;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** What {@code e3 describe cluster} shows: totals, servers and compute nodes, as a table or as JSON. */
record ClusterReport(String cluster, String source, int racks, int servers, int computeNodes, long hosts,
                     long smartNics, int beefyCores, int wimpyCores, long memoryMiB, double bandwidthGbps,
                     double idleWatts, double peakWatts, double costUsd, List<ServerView> serverList)
        implements Report {

    record ServerView(String id, String rack, String pod, String type, double idleWatts, double peakWatts,
                      double costUsd, List<NodeView> nodes) {
    }

    record NodeView(String id, NodeKind kind, int cores, String coreClass, long memoryMiB, double bandwidthGbps) {
    }

    static ClusterReport of(Cluster c, String source) {
        List<ServerView> servers = c.racks().stream().flatMap((Rack r) -> r.servers().stream())
                .map(ClusterReport::server).toList();
        return new ClusterReport(c.name(), source, c.racks().size(), c.servers().size(), c.nodes().size(),
                c.count(NodeKind.HOST), c.count(NodeKind.SMARTNIC), c.beefyCores(), c.wimpyCores(), c.memoryMiB(),
                c.bandwidthGbps(), c.idleWatts(), c.peakWatts(), c.costUsd(), servers);
    }

    private static ServerView server(Server s) {
        return new ServerView(s.id(), s.rackId(), s.podId(), s.type().name(), s.type().idleWatts(),
                s.type().peakWatts(), s.type().costUsd(), s.nodes().stream().map(ClusterReport::node).toList());
    }

    private static NodeView node(ComputeNode n) {
        return new NodeView(n.id(), n.kind(), n.capacity().cores(),
                n.capacity().coreClass().name().toLowerCase(Locale.ROOT), n.capacity().memoryMiB(),
                n.capacity().bandwidthGbps());
    }

    @Override
    public void print(PrintWriter out) {
        out.println("Cluster " + cluster + "  (" + source + ")");
        out.println("  " + Units.plural(servers, "server", "servers") + " in " + Units.plural(racks, "rack", "racks")
                + ", " + Units.plural(computeNodes, "compute node", "compute nodes") + ": "
                + Units.plural(hosts, "host", "hosts") + ", " + Units.plural(smartNics, "SmartNIC", "SmartNICs"));
        out.println("  cores: " + beefyCores + " beefy, " + wimpyCores + " wimpy; memory " + Units.memory(memoryMiB)
                + "; network " + Units.gbps(bandwidthGbps));
        out.println("  power: idle " + Units.watts(idleWatts) + ", peak " + Units.watts(peakWatts) + "; cost "
                + Units.usd(costUsd));
        out.println();
        TextTable serverTable = new TextTable("SERVER", "RACK", "TYPE", "IDLE", "PEAK", "COST");
        serverList.forEach(s -> serverTable.row(s.id(), s.rack(), s.type(), Units.watts(s.idleWatts()),
                Units.watts(s.peakWatts()), Units.usd(s.costUsd())));
        serverTable.print(out, "  ");
        out.println();
        TextTable nodeTable = new TextTable("NODE", "KIND", "CORES", "MEMORY", "BANDWIDTH");
        serverList.stream().flatMap(s -> s.nodes().stream()).forEach(n -> nodeTable.row(n.id(), n.kind(),
                n.cores() + " " + n.coreClass(), Units.memory(n.memoryMiB()), Units.gbps(n.bandwidthGbps())));
        nodeTable.print(out, "  ");
    }
}
