package io.e3.model.manifest;

import io.e3.model.topology.Cluster;

import java.util.Objects;

/** A {@code kind: Cluster} document. */
public record ClusterManifest(String origin, Cluster cluster) implements Manifest {

    public static final String KIND = "Cluster";

    public ClusterManifest {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(cluster, "cluster");
    }

    @Override
    public String name() {
        return cluster.name();
    }

    @Override
    public String kind() {
        return KIND;
    }
}
