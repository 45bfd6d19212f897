package io.e3.model.app;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How a channel chooses among the instances of its target service. */
public enum RoutingPolicy {
    /** The request's key picks the instance: the same key always reaches the same shard. */
    SHARD_KEYED("shard-keyed"),
    /** Instances take turns; for interchangeable replicas. */
    ROUND_ROBIN("round-robin"),
    /** Every instance receives every request. */
    BROADCAST("broadcast");

    private final String manifestName;

    RoutingPolicy(String manifestName) {
        this.manifestName = manifestName;
    }

    public String manifestName() {
        return manifestName;
    }

    public static Optional<RoutingPolicy> byManifestName(String name) {
        return Arrays.stream(values()).filter(p -> p.manifestName.equals(name)).findFirst();
    }

    public static List<String> manifestNames() {
        return Arrays.stream(values()).map(RoutingPolicy::manifestName).toList();
    }
}
