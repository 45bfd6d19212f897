package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.emu.Emulation;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Manifests;
import io.e3.model.topology.AddressPlan;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running cluster and controller, as {@code e3 cluster up} and {@code e3 controller} run them, on a free loopback
 * block: the switch and node agents in this JVM (as {@code e3 cluster up} runs them in its own), the controller as a
 * child process from {@code controller/target/quarkus-app} (as {@code e3 controller} does). For tests that drive apps
 * through the command line.
 */
final class LiveCluster implements AutoCloseable {

    static final String TOKEN = "it-token";
    static final String CLUSTER = "examples/clusters/3x-type1-smartnic.yaml";
    /** How long to wait for anything here; -De3.it.patience-seconds=N on a slow machine. */
    static final Duration PATIENCE = Duration.ofSeconds(Long.getLong("e3.it.patience-seconds", 120));

    private final EmbeddedCluster cluster;
    private final ControllerProcess controller;
    private final ControllerClient api;

    private LiveCluster(EmbeddedCluster cluster, ControllerProcess controller) {
        this.cluster = cluster;
        this.controller = controller;
        this.api = new ControllerClient(URI.create(controller.url()), TOKEN, "");
    }

    /**
     * Starts the default cluster (3x Type1-SmartNIC, D as {@link Emulation#DEFAULT}) and its controller, with
     * {@code settings} as controller properties (docs/controller.md), and waits until the controller answers.
     */
    static LiveCluster start(Map<String, String> settings) throws IOException, InterruptedException,
            ManifestException {
        Path jar = ControllerCommand.controllerJar();
        assertThat(jar).as("the controller is not built; mvn -B -pl controller -am package -DskipTests")
                .isRegularFile();
        Path file = PackagedCli.REPO.resolve(CLUSTER);
        int block = EmulatedRuns.freeBlock();
        AddressPlan plan = AddressPlan.of(((ClusterManifest) Manifests.load(file).get(0)).cluster(), block);
        EmbeddedCluster cluster = EmbeddedCluster.start(plan, Emulation.DEFAULT, TOKEN);
        ControllerProcess controller;
        try {
            controller = ControllerProcess.start(jar, file, block, TOKEN,
                    AddressPlan.text(plan.controllerIp()), ControllerOptions.DEFAULT_PORT,
                    Files.createTempDirectory("e3-it-state"), "hcm", false, settings);
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        LiveCluster live = new LiveCluster(cluster, controller);
        if (!controller.awaitReady(TOKEN, PATIENCE)) {
            live.close();
            throw new AssertionError("the controller did not answer at " + controller.url() + " within " + PATIENCE);
        }
        return live;
    }

    String url() {
        return controller.url();
    }

    /** An address on the controller's own loopback address where nothing listens (port 9, discard). */
    String deadUrl() {
        return "http://" + AddressPlan.text(cluster.plan().controllerIp()) + ":9";
    }

    /** Applies the app manifest {@code file} and waits until the app {@code name} is RUNNING. */
    void apply(Path file, String name) throws IOException, InterruptedException {
        ControllerClient.require(api.post("/v1/apps", "application/yaml", Files.readAllBytes(file)), 200, 201);
        LiveDemo.awaitRunning(api, name);
    }

    /** The node {@code instance} runs on, as the controller has it placed. */
    String nodeOf(String instance) {
        for (JsonNode p : ControllerClient.require(api.get("/v1/placements"), 200)) {
            if (p.path("instance").asText().equals(instance)) {
                return p.path("node").asText();
            }
        }
        throw new AssertionError("the controller has no placement for " + instance);
    }

    /**
     * Stalls {@code node} for {@code length}: through its agent's control API, as an operator could, drains every
     * instance it runs (requests that arrive are held, none is lost), then resumes them all {@code length} later.
     * Returns once they run again, with how long they were held.
     */
    Duration stall(String node, Duration length) throws Exception {
        ControllerClient agent = new ControllerClient(URI.create(cluster.agent(node).url()), TOKEN, "");
        List<String> instances = new ArrayList<>();
        ControllerClient.require(agent.get("/v1/instances"), 200).forEach(i -> instances.add(i.path("id").asText()));
        long start = System.nanoTime();
        instances.forEach(i -> ControllerClient.require(agent.post("/v1/instances/" + i + "/drain",
                "application/json", new byte[0]), 200));
        CompletableFuture.runAsync(() -> instances.forEach(i -> ControllerClient.require(agent.post(
                        "/v1/instances/" + i + "/resume", "application/json", new byte[0]), 200)),
                CompletableFuture.delayedExecutor(length.toNanos(), TimeUnit.NANOSECONDS))
                .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() {
        controller.close();
        cluster.close();
    }
}
