package io.e3.simulator;

import io.e3.model.app.AppSpec;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.Manifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Manifests;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerType;
import io.e3.model.topology.ServerTypes;
import io.e3.placement.PlacementBenchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to simulate: a cluster, the apps deployed on it (placed in this order), and the apps the client drives.
 *
 * @param cluster the cluster
 * @param apps    the apps, names unique, at least one
 * @param driven  names of the apps that receive client requests, at least one, each one of {@code apps}
 */
public record Scenario(Cluster cluster, List<AppSpec> apps, List<String> driven) {

    public Scenario {
        Objects.requireNonNull(cluster, "cluster");
        apps = List.copyOf(apps);
        driven = List.copyOf(driven);
        if (apps.isEmpty()) {
            throw new IllegalArgumentException("a scenario needs at least one app");
        }
        Set<String> names = new HashSet<>();
        for (AppSpec a : apps) {
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("duplicate app name '" + a.name() + "'");
            }
        }
        if (driven.isEmpty()) {
            throw new IllegalArgumentException("the client must drive at least one app");
        }
        for (String d : driven) {
            if (!names.contains(d)) {
                throw new IllegalArgumentException("unknown app '" + d + "'; the scenario has "
                        + apps.stream().map(AppSpec::name).toList());
            }
        }
    }

    /** {@code apps} on {@code cluster}, the client driving all of them. */
    public static Scenario of(Cluster cluster, List<AppSpec> apps) {
        return new Scenario(cluster, apps, apps.stream().map(AppSpec::name).toList());
    }

    /** The same deployment with the client driving only the apps named. */
    public Scenario driving(List<String> names) {
        return new Scenario(cluster, apps, names);
    }

    /**
     * A FatTree of {@code servers} servers of {@code type}, 40 to a rack and 8 racks to a pod, as the placement scale
     * experiment builds it ({@link PlacementBenchmark#SERVERS_PER_RACK}, {@link PlacementBenchmark#RACKS_PER_POD}).
     */
    public static Cluster fatTree(ServerType type, int servers) {
        return Clusters.fatTree("fattree-" + servers, type, servers, PlacementBenchmark.SERVERS_PER_RACK,
                PlacementBenchmark.RACKS_PER_POD);
    }

    /**
     * The scale scenario of §5.6.6: {@code instances} instances, copies of {@code templates} app by app plus one filler
     * app ({@link PlacementBenchmark#workload(int)}), on a FatTree of {@code servers} Type2-SmartNIC servers.
     */
    public static Scenario scale(int servers, int instances, List<AppSpec> templates) {
        return of(fatTree(ServerTypes.TYPE2_SMARTNIC, servers), new PlacementBenchmark(templates).workload(instances));
    }

    /**
     * Reads a scenario from manifests: exactly one {@code Cluster} document and at least one {@code MicroserviceApp}
     * among {@code files}.
     *
     * @throws ManifestException        with every problem of every file
     * @throws IllegalArgumentException if there is not exactly one cluster or no app
     */
    public static Scenario fromManifests(List<Path> files) throws ManifestException {
        List<Cluster> clusters = new ArrayList<>();
        List<AppSpec> apps = new ArrayList<>();
        for (Manifest m : Manifests.loadAll(files)) {
            if (m instanceof ClusterManifest c) {
                clusters.add(c.cluster());
            } else if (m instanceof AppManifest a) {
                apps.add(a.app());
            }
        }
        if (clusters.size() != 1) {
            throw new IllegalArgumentException("expected exactly one Cluster manifest, got " + clusters.size());
        }
        return of(clusters.get(0), appsOf(apps));
    }

    /** The apps of the {@code MicroserviceApp} documents in {@code files}; other kinds are refused. */
    public static List<AppSpec> appsFromManifests(List<Path> files) throws ManifestException {
        List<AppSpec> apps = new ArrayList<>();
        for (Manifest m : Manifests.loadAll(files)) {
            if (!(m instanceof AppManifest a)) {
                throw new IllegalArgumentException(m.origin() + ": expected a MicroserviceApp, got a " + m.kind());
            }
            apps.add(a.app());
        }
        return appsOf(apps);
    }

    private static List<AppSpec> appsOf(List<AppSpec> apps) {
        if (apps.isEmpty()) {
            throw new IllegalArgumentException("expected at least one MicroserviceApp manifest");
        }
        return apps;
    }
}
