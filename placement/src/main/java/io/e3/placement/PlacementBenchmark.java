package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.ResourceDemand;
import io.e3.model.app.Scaling;
import io.e3.model.app.ServiceSpec;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;

import java.time.Duration;
import io.e3.model.topology.ComputeNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The placement scale experiment of §5.6.6 (Table 5.6): a given number of microservices (instances) deployed app by
 * app onto FatTrees of Type2-SmartNIC servers, 40 to a rack, timed per algorithm and cluster size.
 *
 * <p>The workload is copies of template apps (the examples of Table 5.3) placed in turn until the count is reached;
 * one last single-service app makes the total exact.
 */
public final class PlacementBenchmark {

    /** §5.6.6: 40 servers per rack. */
    public static final int SERVERS_PER_RACK = 40;
    /** Racks per pod of the FatTree: 8, the edge switches of a pod in a 16-port FatTree. */
    public static final int RACKS_PER_POD = 8;

    /**
     * One measurement.
     *
     * @param algorithm            strategy name
     * @param servers              Type2-SmartNIC servers in the cluster
     * @param microservices        instances deployed
     * @param placed               instances placed
     * @param totalMillis          wall time to place them all, app by app
     * @param perMicroserviceMillis totalMillis / microservices
     * @param communicationCost    sum over apps of {@link PlacementMetrics} communication cost
     * @param firstUnplacedReason  why the first instance left unplaced was, or {@code null} if all were placed
     */
    public record Row(String algorithm, int servers, int microservices, int placed, double totalMillis,
                      double perMicroserviceMillis, double communicationCost, String firstUnplacedReason) {
    }

    private final List<AppSpec> templates;

    public PlacementBenchmark(List<AppSpec> templates) {
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("the benchmark needs at least one template app");
        }
        this.templates = List.copyOf(templates);
    }

    /** Apps totalling exactly {@code microservices} instances: template copies, then one filler app. */
    public List<AppSpec> workload(int microservices) {
        List<AppSpec> apps = new ArrayList<>();
        int total = 0;
        for (int k = 0; ; k++) {
            AppSpec t = templates.get(k % templates.size());
            if (total + t.instanceCount() > microservices) {
                break;
            }
            apps.add(new AppSpec(t.name() + "-" + k, t.services(), t.channels(), t.entry()));
            total += t.instanceCount();
        }
        if (total < microservices) {
            apps.add(AppSpec.of("filler", List.of(new ServiceSpec("count", MicroserviceType.COUNT,
                    microservices - total, Scaling.SHARDED, new ResourceDemand(0.1, 64), null, 0)), List.of()));
        }
        return apps;
    }

    /** The cluster of {@code servers} Type2-SmartNIC servers. */
    public static Cluster cluster(int servers) {
        return Clusters.fatTree("fattree-" + servers, ServerTypes.TYPE2_SMARTNIC, servers, SERVERS_PER_RACK,
                RACKS_PER_POD);
    }

    /**
     * {@code cluster} with {@code fill} of every node's cores, memory and bandwidth already reserved, as by apps placed
     * before: the state of a busy cluster (0 is empty).
     */
    public static ClusterSnapshot filled(Cluster cluster, double fill) {
        if (!(fill >= 0 && fill < 1)) {
            throw new IllegalArgumentException("fill must be in [0, 1), got " + fill);
        }
        Map<String, NodeUsage> usage = new HashMap<>();
        for (ComputeNode n : cluster.nodes()) {
            usage.put(n.id(), new NodeUsage(n.capacity().cores() * fill, (long) (n.capacity().memoryMiB() * fill),
                    n.capacity().bandwidthGbps() * fill, 0, 0, 0));
        }
        return new ClusterSnapshot(usage, List.of());
    }

    /** Places {@code workload} app by app on an empty {@code cluster} with {@code strategy}; reports progress. */
    public Row run(PlacementStrategy strategy, Cluster cluster, List<AppSpec> workload, Duration timeLimitPerApp,
                   Consumer<String> progress) {
        return run(strategy, cluster, ClusterSnapshot.EMPTY, workload, timeLimitPerApp, progress);
    }

    /** Places {@code workload} app by app on {@code cluster} as {@code start} finds it; reports progress per app. */
    public Row run(PlacementStrategy strategy, Cluster cluster, ClusterSnapshot start, List<AppSpec> workload,
                   Duration timeLimitPerApp, Consumer<String> progress) {
        Objects.requireNonNull(progress, "progress");
        ClusterSnapshot snapshot = start;
        int microservices = 0;
        int placed = 0;
        double cost = 0;
        String firstUnplacedReason = null;
        long startNanos = System.nanoTime();
        for (int k = 0; k < workload.size(); k++) {
            AppSpec app = workload.get(k);
            PlacementResult r = strategy.place(new PlacementRequest(cluster, snapshot, app, k, timeLimitPerApp));
            snapshot = snapshot.with(cluster, app, r);
            microservices += app.instanceCount();
            placed += r.assignments().size();
            cost += r.metrics().get("communicationCost");
            if (firstUnplacedReason == null && !r.unplaced().isEmpty()) {
                firstUnplacedReason = r.unplaced().get(0).reasons().get(0);
            }
            progress.accept(strategy.name() + " on " + cluster.servers().size() + " servers: app " + (k + 1) + "/"
                    + workload.size());
        }
        double totalMillis = (System.nanoTime() - startNanos) / 1e6;
        return new Row(strategy.name(), cluster.servers().size(), microservices, placed, totalMillis,
                totalMillis / microservices, cost, firstUnplacedReason);
    }
}
