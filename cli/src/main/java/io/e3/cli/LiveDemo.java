package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.emu.Emulation;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.topology.AddressPlan;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live demo: an embedded cluster, a controller, an app applied and loaded through its entry service, one of the
 * app's own instances on a SmartNIC overloaded on purpose, the orchestrator's migration, and a summary
 * ({@link DemoRun}). Latencies and throughput are converted back to emulated time (divided and multiplied by D); power
 * and energy are modelled (docs/node-agent.md).
 */
final class LiveDemo {

    /**
     * How long the demo's controller waits for a node's heartbeats before declaring it down (500 ms by default). All
     * the emulated nodes run in this process, and while the controller deploys the app to them their heartbeats stall
     * for 0.5-0.7 s on a busy 2-core machine; no node fails in the demo.
     */
    static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(2);

    /** The controller's own log (standard output and error), in the demo's state directory. */
    static final String CONTROLLER_LOG = "controller-output.log";

    private LiveDemo() {
    }

    /**
     * Runs the demo and returns what it measured.
     *
     * @param rate     the app's load, requests per emulated second (Poisson arrivals)
     * @param progress what it is doing now, for a line that the next message overwrites
     * @param announce lines the user should keep: the dashboard's URL, the controller's log, a skipped overload, each
     *                 migration's end
     */
    static DemoSummary run(Path clusterFile, ClusterManifest cluster, Path appFile, AppManifest app,
                           Duration duration, double rate, int block, double dilation, Path controllerJar,
                           Consumer<String> progress, Consumer<String> announce)
            throws IOException, InterruptedException {
        AddressPlan plan = AddressPlan.of(cluster.cluster(), block);
        String token = RunOptions.randomToken();
        Path state = Files.createTempDirectory("e3-demo-state");
        progress.accept("starting the emulated cluster on " + plan.block());
        try (EmbeddedCluster c = EmbeddedCluster.start(plan, Emulation.DEFAULT.withDilation(dilation), token)) {
            progress.accept("starting the controller");
            Path log = state.resolve(CONTROLLER_LOG);
            try (ControllerProcess controller = ControllerProcess.startLoggingTo(log, controllerJar, clusterFile, block,
                    token, AddressPlan.text(plan.controllerIp()), 7090, state, "hcm",
                    Map.of("e3.failover.timeout-ms", String.valueOf(FAILOVER_TIMEOUT.toMillis())))) {
                announce.accept("Controller log: " + log);
                if (!controller.awaitReady(token, Duration.ofSeconds(90))) {
                    throw new FailureException("the controller did not come up at " + controller.url() + " (its log: "
                            + log + ")");
                }
                String dashboard = ControllerCommand.dashboardUrl(controller.url(), token);
                announce.accept("Dashboard: " + dashboard + " (live until the demo ends)");
                ControllerClient api = new ControllerClient(URI.create(controller.url()), token, "");
                progress.accept("applying " + app.name());
                ControllerClient.require(api.post("/v1/apps", "application/yaml", Files.readAllBytes(appFile)),
                        200, 201);
                awaitRunning(api, app.name());
                JsonNode before = ControllerClient.require(api.get("/v1/placements"), 200);
                Optional<OverloadTarget> target = OverloadTarget.choose(before, app.name(), plan.cluster(), dilation,
                        DemoRun.STEADY_OUTSTANDING);
                if (target.isEmpty()) {
                    announce.accept("HCM put no primary instance of " + app.name() + " on a SmartNIC: there is "
                            + "nothing to overload, so the overload step is skipped");
                }
                return new DemoRun(c, api, app, target, progress, announce).drive(duration, rate, dilation, before,
                        controller.url(), dashboard, cluster.name());
            }
        }
    }

    /** Waits up to 2 minutes until {@code app} is RUNNING; fails at once if it FAILED. */
    static void awaitRunning(ControllerClient api, String app) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            JsonNode a = ControllerClient.require(api.get("/v1/apps/" + app), 200);
            String phase = a.path("phase").asText();
            if (phase.equals("RUNNING")) {
                return;
            }
            if (phase.equals("FAILED")) {
                throw new FailureException(app + " failed: " + a.path("reason").asText());
            }
            Thread.sleep(200);
        }
        throw new FailureException(app + " was not running after 2 minutes");
    }
}
