package io.e3.controller;

import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.Manifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Manifests;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.Cluster;
import io.e3.placement.PlacementStrategy;
import io.e3.placement.strategies.PlacementStrategies;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The cluster the controller manages and how: its manifest ({@code e3.cluster.file}), the loopback block its agents
 * listen on ({@code e3.cluster.address-block}, see docs/node-agent.md) and the placement algorithm
 * ({@code e3.placement.algorithm}). Loaded once; a bad manifest stops the controller at start with its violations.
 */
@ApplicationScoped
public class ControllerConfig {

    private final Cluster cluster;
    private final AddressPlan plan;
    private final PlacementStrategy strategy;

    public ControllerConfig(
            @ConfigProperty(name = "e3.cluster.file", defaultValue = "examples/clusters/3x-type1-smartnic.yaml")
            String clusterFile,
            @ConfigProperty(name = "e3.cluster.address-block", defaultValue = "42") int block,
            @ConfigProperty(name = "e3.placement.algorithm", defaultValue = "hcm") String algorithm) {
        List<Manifest> docs;
        try {
            docs = Manifests.load(Path.of(clusterFile));
        } catch (ManifestException e) {
            throw new IllegalStateException("e3.cluster.file: " + e.getMessage(), e);
        }
        this.cluster = docs.stream().filter(d -> d instanceof ClusterManifest).map(d -> ((ClusterManifest) d).cluster())
                .findFirst().orElseThrow(() -> new IllegalStateException("e3.cluster.file: " + clusterFile
                        + " holds no Cluster document"));
        this.plan = AddressPlan.of(cluster, block);
        this.strategy = PlacementStrategies.byName(algorithm).orElseThrow(() -> new IllegalStateException(
                "e3.placement.algorithm: '" + algorithm + "' is not one of " + PlacementStrategies.names()));
    }

    public Cluster cluster() {
        return cluster;
    }

    public AddressPlan plan() {
        return plan;
    }

    public PlacementStrategy strategy() {
        return strategy;
    }
}
