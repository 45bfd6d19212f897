package io.e3.simulator;

import io.e3.model.app.AppSpec;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.placement.ClusterSnapshot;
import io.e3.placement.PlacementRequest;
import io.e3.placement.PlacementStrategy;
import io.e3.placement.strategies.PlacementStrategies;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Apps placed on a cluster by one of the controller's placement strategies, app by app in order, each on the
 * snapshot the ones before it left, as the control-plane manager places them. App k is placed with seed k, as
 * {@code PlacementBenchmark} does, so a deployment does not depend on the simulation's seed.
 *
 * @param cluster         the cluster
 * @param apps            the apps, in placement order
 * @param placements      one placement per app, in the same order
 * @param algorithm       the strategy's name
 * @param placementMillis wall time placement took
 */
public record Deployment(Cluster cluster, List<AppSpec> apps, List<PlacementResult> placements, String algorithm,
                         double placementMillis) {

    public Deployment {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(algorithm, "algorithm");
        apps = List.copyOf(apps);
        placements = List.copyOf(placements);
        if (apps.size() != placements.size()) {
            throw new IllegalArgumentException("one placement per app: " + apps.size() + " apps, "
                    + placements.size() + " placements");
        }
    }

    /** Places {@code apps} on an empty {@code cluster} with the strategy called {@code strategy}. */
    public static Deployment place(Cluster cluster, List<AppSpec> apps, String strategy) {
        PlacementStrategy s = PlacementStrategies.byName(strategy).orElseThrow(() -> new IllegalArgumentException(
                "unknown placement strategy '" + strategy + "'; known: " + PlacementStrategies.names()));
        long start = System.nanoTime();
        ClusterSnapshot snapshot = ClusterSnapshot.EMPTY;
        List<PlacementResult> results = new ArrayList<>(apps.size());
        for (int k = 0; k < apps.size(); k++) {
            AppSpec app = apps.get(k);
            PlacementResult r = s.place(new PlacementRequest(cluster, snapshot, app, k,
                    PlacementRequest.DEFAULT_TIME_LIMIT));
            snapshot = snapshot.with(cluster, app, r);
            results.add(r);
        }
        return new Deployment(cluster, apps, results, s.name(), (System.nanoTime() - start) / 1e6);
    }

    /** Instances placed over all apps. */
    public int placedInstances() {
        return placements.stream().mapToInt(p -> p.assignments().size()).sum();
    }

    /** Instances no node would take, over all apps. */
    public int unplacedInstances() {
        return placements.stream().mapToInt(p -> p.unplaced().size()).sum();
    }
}
