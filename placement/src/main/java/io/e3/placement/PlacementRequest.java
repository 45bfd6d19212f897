package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.topology.Cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * One app to place on a cluster in a given state.
 *
 * @param cluster   the topology
 * @param snapshot  what the cluster already carries
 * @param app       the app whose instances are to be placed
 * @param seed      seeds every random choice, so that equal requests give equal results
 * @param timeLimit how long a search-based strategy may run; strategies that need no search ignore it
 */
public record PlacementRequest(Cluster cluster, ClusterSnapshot snapshot, AppSpec app, long seed,
                               Duration timeLimit) {

    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(10);

    public PlacementRequest {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(timeLimit, "timeLimit");
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive, got " + timeLimit);
        }
    }

    /** {@code app} on an empty {@code cluster}, seed 0, the default time limit. */
    public static PlacementRequest of(Cluster cluster, AppSpec app) {
        return new PlacementRequest(cluster, ClusterSnapshot.EMPTY, app, 0, DEFAULT_TIME_LIMIT);
    }
}
