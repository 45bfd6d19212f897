package io.e3.controller;

import io.e3.agent.EmbeddedCluster;
import io.e3.agent.emu.Emulation;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.Manifests;
import io.e3.model.topology.AddressPlan;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Boots an embedded 3xType1-SmartNIC cluster on a random loopback block for the controller under test to manage. */
public class EmbeddedClusterResource implements QuarkusTestResourceLifecycleManager {

    static final String CLUSTER_FILE = "../examples/clusters/3x-type1-smartnic.yaml";
    private String clusterFile = CLUSTER_FILE;
    static volatile EmbeddedCluster cluster;
    private double dilation = Emulation.DEFAULT.dilation();
    /**
     * The failure detector's timeouts when a test names none: generous, for tests that fail no node. Their agents and
     * controller share one JVM on a loaded machine, where heartbeats can stall for longer than the 500 ms default.
     */
    static final String GENEROUS_TIMEOUT_MS = "5000";
    static final String GENEROUS_MAX_TIMEOUT_MS = "20000";
    private String failoverTimeoutMs;
    private String failoverMaxTimeoutMs;

    /**
     * {@code dilation}: the cluster's D (default {@link Emulation#DEFAULT_DILATION}); {@code cluster}: its manifest;
     * {@code failoverTimeoutMs} and {@code failoverMaxTimeoutMs}: the controller's {@code e3.failover.timeout-ms} and
     * {@code e3.failover.max-timeout-ms}. Tests that fail a node set the first short; a test that names neither gets
     * {@value #GENEROUS_TIMEOUT_MS} and {@value #GENEROUS_MAX_TIMEOUT_MS} ms, so that it does not see nodes declared
     * down when a loaded machine stalls this JVM; one that names only the first gets the controller's longest.
     */
    @Override
    public void init(Map<String, String> args) {
        boolean named = args.containsKey("failoverTimeoutMs");
        failoverTimeoutMs = args.getOrDefault("failoverTimeoutMs", GENEROUS_TIMEOUT_MS);
        failoverMaxTimeoutMs = args.getOrDefault("failoverMaxTimeoutMs", named ? null : GENEROUS_MAX_TIMEOUT_MS);
        if (args.containsKey("cluster")) {
            clusterFile = args.get("cluster");
        }
        if (args.containsKey("dilation")) {
            dilation = Double.parseDouble(args.get("dilation"));
        }
    }

    @Override
    public Map<String, String> start() {
        // 150-249: ControllerRestartTest draws from 100-149 while this cluster may still be up.
        int block = ThreadLocalRandom.current().nextInt(150, 250);
        try {
            ClusterManifest m = (ClusterManifest) Manifests.load(Path.of(clusterFile)).get(0);
            cluster = EmbeddedCluster.start(AddressPlan.of(m.cluster(), block), Emulation.DEFAULT.withDilation(dilation),
                    "test-token");
        } catch (Exception e) {
            throw new IllegalStateException("embedded cluster on block " + block + ": " + e.getMessage(), e);
        }
        String stateDir;
        try {
            stateDir = java.nio.file.Files.createTempDirectory("e3-controller-state").toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        // A state directory of its own: a controller must not re-adopt the apps of another test's cluster.
        Map<String, String> config = new java.util.HashMap<>(Map.of("e3.cluster.file", clusterFile,
                "e3.cluster.address-block", String.valueOf(block), "e3.state.dir", stateDir));
        config.put("e3.failover.timeout-ms", failoverTimeoutMs);
        if (failoverMaxTimeoutMs != null) {
            config.put("e3.failover.max-timeout-ms", failoverMaxTimeoutMs);
        }
        return config;
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
