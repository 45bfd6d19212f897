package io.e3.cli;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.Instance;
import io.e3.model.energy.EnergyModel;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.placement.Unplaced;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.NodeKind;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The self-describing placement document of DESIGN.md ("Contracts"): every node with its capacity, every instance
 * with its node and the demand reserved for it there, the channels, the unplaced instances with their reasons and the
 * metrics, so that anyone can check a placement from it alone.
 */
record PlacementReport(String algorithm, String cluster, List<NodeView> nodes, List<InstanceView> instances,
                       List<EdgeView> edges, List<UnplacedView> unplaced, Map<String, Double> metrics,
                       List<AppView> apps) implements Report {

    record Capacity(double cores, long memoryMiB, Double bandwidthGbps) {
    }

    record NodeView(String id, String server, String rack, String pod, NodeKind kind, Capacity capacity) {
    }

    record InstanceView(String id, String app, String service, String type, String role, String primary,
                        String node, Capacity demand, Capacity declaredDemand) {
    }

    record EdgeView(String app, String from, String to, String routing, double requestsPerSecond,
                    int requestBytes) {
    }

    record UnplacedView(String instance, String reason, List<String> reasons) {
    }

    record AppView(String name, int instances, int placed, Map<String, Double> metrics) {
    }

    /** The document for {@code apps} placed in order on {@code cluster}, one result each. */
    static PlacementReport of(Cluster cluster, List<AppSpec> apps, List<PlacementResult> results) {
        List<NodeView> nodes = cluster.nodes().stream().map(n -> new NodeView(n.id(), n.serverId(), n.rackId(),
                n.podId(), n.kind(), new Capacity(n.capacity().cores(), n.capacity().memoryMiB(),
                n.capacity().bandwidthGbps()))).toList();
        List<InstanceView> instances = new ArrayList<>();
        List<EdgeView> edges = new ArrayList<>();
        List<UnplacedView> unplaced = new ArrayList<>();
        List<AppView> appViews = new ArrayList<>();
        Map<String, Double> totals = new LinkedHashMap<>();
        for (int k = 0; k < apps.size(); k++) {
            AppSpec app = apps.get(k);
            PlacementResult r = results.get(k);
            for (Assignment a : r.assignments()) {
                Instance i = a.instance();
                instances.add(new InstanceView(i.id(), i.app(), i.service(), i.type().manifestName(),
                        i.role().name().toLowerCase(Locale.ROOT), i.primary(), a.nodeId(),
                        new Capacity(a.reserved().cores(), a.reserved().memoryMiB(), null),
                        new Capacity(i.demand().cores(), i.demand().memoryMiB(), null)));
            }
            for (ChannelSpec c : app.channels()) {
                edges.add(new EdgeView(app.name(), c.from(), c.to(), c.routing().manifestName(),
                        c.load().requestsPerSecond(), c.load().requestBytes()));
            }
            for (Unplaced u : r.unplaced()) {
                unplaced.add(new UnplacedView(u.instance().id(), String.join("; ", u.reasons()), u.reasons()));
            }
            appViews.add(new AppView(app.name(), app.instanceCount(), r.assignments().size(), r.metrics()));
            totals.merge("communicationCost", r.metrics().get("communicationCost"), Double::sum);
            totals.merge("elapsedMillis", r.metrics().get("elapsedMillis"), Double::sum);
            totals.merge("placed", r.metrics().get("placed"), Double::sum);
            totals.merge("unplaced", r.metrics().get("unplaced"), Double::sum);
            totals.merge("requestsPerSecond", r.metrics().get("requestsPerSecond"), Double::sum);
        }
        // Utilisation, nodes used and power come from the last placement, which saw every reservation before it.
        Map<String, Double> last = results.get(results.size() - 1).metrics();
        for (String key : List.of("maxUtilisation", "meanUtilisation", "nodesUsed", "modelledPowerWatts")) {
            totals.put(key, last.get(key));
        }
        totals.put("modelledIdleWatts", cluster.idleWatts());
        totals.put("modelledRequestsPerJoule",
                EnergyModel.requestsPerJoule(totals.get("requestsPerSecond"), totals.get("modelledPowerWatts")));
        return new PlacementReport(results.get(0).algorithm(), cluster.name(), nodes, instances, edges, unplaced,
                totals, appViews);
    }

    @Override
    public void print(PrintWriter out) {
        out.println("Placement by " + algorithm + " on " + cluster + ": " + Units.plural(instances.size(), "instance",
                "instances") + " placed, " + unplaced.size() + " unplaced");
        out.println();
        Map<String, double[]> perNode = new LinkedHashMap<>();
        Map<String, Integer> countPerNode = new TreeMap<>();
        for (InstanceView i : instances) {
            double[] u = perNode.computeIfAbsent(i.node(), k -> new double[2]);
            u[0] += i.demand().cores();
            u[1] += i.demand().memoryMiB();
            countPerNode.merge(i.node(), 1, Integer::sum);
        }
        TextTable table = new TextTable("NODE", "KIND", "INSTANCES", "CORES", "MEMORY");
        for (NodeView n : nodes) {
            double[] u = perNode.get(n.id());
            if (u != null) {
                table.row(n.id(), n.kind(), countPerNode.get(n.id()),
                        String.format(Locale.ROOT, "%.2f / %.0f", u[0], n.capacity().cores()),
                        Units.memory((long) u[1]) + " / " + Units.memory(n.capacity().memoryMiB()));
            }
        }
        table.print(out, "  ");
        if (!unplaced.isEmpty()) {
            out.println();
            out.println("Unplaced:");
            unplaced.forEach(u -> out.println("  " + u.instance() + ": " + u.reason()));
        }
        out.println();
        TextTable appTable = new TextTable("APP", "PLACED", "COMMUNICATION COST", "REQUESTS/S", "ACTIVE POWER",
                "REQUESTS/J", "ELAPSED");
        apps.forEach(a -> appTable.row(a.name(), a.placed() + "/" + a.instances(),
                String.format(Locale.ROOT, "%.3f", a.metrics().get("communicationCost")),
                String.format(Locale.ROOT, "%,.0f", a.metrics().get("requestsPerSecond")),
                String.format(Locale.ROOT, "%.1f W", a.metrics().get("modelledActiveWatts")),
                String.format(Locale.ROOT, "%,.0f", a.metrics().get("modelledRequestsPerJoule")),
                String.format(Locale.ROOT, "%.1f ms", a.metrics().get("elapsedMillis"))));
        appTable.print(out, "  ");
        out.println();
        out.println(String.format(Locale.ROOT, "  nodes used %.0f; utilisation max %.0f %%, mean %.0f %%",
                metrics.get("nodesUsed"), metrics.get("maxUtilisation") * 100, metrics.get("meanUtilisation") * 100));
        out.println(String.format(Locale.ROOT, "  modelled power %.0f W: %.0f W idle (Table 5.4) + %.0f W active "
                        + "(Table 5.1); %,.0f requests/J for the cluster (modelled, not measured)",
                metrics.get("modelledPowerWatts"), metrics.get("modelledIdleWatts"),
                metrics.get("modelledPowerWatts") - metrics.get("modelledIdleWatts"),
                metrics.get("modelledRequestsPerJoule")));
        out.println("  communication cost is traffic (MB/s) x relative round trip of each hop (§5.3.4), an unplaced "
                + "end at the farthest hop; lower is better");
    }
}
