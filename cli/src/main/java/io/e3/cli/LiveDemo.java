package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.AppClient;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.NodeAgent;
import io.e3.agent.emu.Emulation;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.routing.Target;
import io.e3.agent.rpc.Reply;
import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.CoreClass;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The live demo: an embedded cluster, a controller, an app applied and loaded through its entry service, one SmartNIC
 * overloaded on purpose, the orchestrator's migration, and a summary. Latencies and throughput are converted back to
 * emulated time (divided and multiplied by D); power and energy are modelled (docs/node-agent.md).
 */
final class LiveDemo {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run measured. */
    record Summary(String app, String cluster, double dilation, double seconds, long requests, long lostRequests,
                   double throughputRps, Latency latencyMs, List<JsonNode> migrations, double powerWatts,
                   double requestsPerJoule, String overloaded, Map<String, Map<String, Integer>> placement,
                   String controllerUrl, String dashboardUrl, List<String> metricsUrls) {
    }

    /** Percentiles in emulated milliseconds. */
    record Latency(double p50, double p99) {
    }

    /**
     * A compute-heavy service pinned to a SmartNIC, applied beside the main app: the instance the demo overloads.
     * (HCM may well keep all of the main app's primaries on hosts, and then there would be nothing to overload.)
     */
    static final String HOT_APP = """
            apiVersion: e3.io/v1alpha1
            kind: MicroserviceApp
            metadata:
              name: e3-demo-hot
            spec:
              services:
                - name: rank
                  type: top-ranker
                  replicas: 1
                  pin: smartnic
            """;

    private LiveDemo() {
    }

    /**
     * Runs the demo and returns what it measured.
     *
     * @param progress what it is doing now, for a line that the next message overwrites
     * @param announce lines the user should keep: the dashboard's URL, once the controller answers
     */
    static Summary run(Path clusterFile, ClusterManifest cluster, Path appFile, AppManifest app, Duration duration,
                       int block, double dilation, Path controllerJar, Consumer<String> progress,
                       Consumer<String> announce) throws IOException, InterruptedException {
        AddressPlan plan = AddressPlan.of(cluster.cluster(), block);
        String token = RunOptions.randomToken();
        Path state = Files.createTempDirectory("e3-demo-state");
        progress.accept("starting the emulated cluster on " + plan.block());
        try (EmbeddedCluster c = EmbeddedCluster.start(plan, Emulation.DEFAULT.withDilation(dilation), token)) {
            progress.accept("starting the controller");
            try (ControllerProcess controller = ControllerProcess.start(controllerJar, clusterFile, block, token,
                    AddressPlan.text(plan.controllerIp()), 7090, state, "hcm", false)) {
                if (!controller.awaitReady(token, Duration.ofSeconds(90))) {
                    throw new FailureException("the controller did not come up at " + controller.url());
                }
                String dashboard = ControllerCommand.dashboardUrl(controller.url(), token);
                announce.accept("Dashboard: " + dashboard + " (live until the demo ends)");
                ControllerClient api = new ControllerClient(URI.create(controller.url()), token, "");
                progress.accept("applying " + app.name());
                ControllerClient.require(api.post("/v1/apps", "application/yaml", Files.readAllBytes(appFile)),
                        200, 201);
                ControllerClient.require(api.post("/v1/apps", "application/yaml",
                        HOT_APP.getBytes(StandardCharsets.UTF_8)), 200, 201);
                awaitRunning(api, app.name());
                awaitRunning(api, "e3-demo-hot");
                AppRoutes routes = AppRoutes.parse(app.name(), JSON.readTree(api.get("/v1/apps/" + app.name()
                        + "/routes").body().toString()), plan);
                JsonNode placements = ControllerClient.require(api.get("/v1/placements"), 200);
                Target hot = hottest(placements, plan);
                return drive(c, api, app, routes, placements, hot, duration, dilation, controller.url(), dashboard,
                        progress, cluster.name());
            } catch (io.e3.agent.control.InvalidBodyException e) {
                throw new FailureException("the controller's routing table: " + e.getMessage());
            }
        }
    }

    private static void awaitRunning(ControllerClient api, String app) throws InterruptedException {
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

    /** The primary instance on a SmartNIC whose type is slowest per wimpy core: the one to overload. */
    private static Target hottest(JsonNode placements, AddressPlan plan) {
        Target best = null;
        double slowest = Double.MAX_VALUE;
        for (JsonNode p : placements) {
            ComputeNode n = plan.cluster().node(p.path("node").asText()).orElse(null);
            MicroserviceType t = MicroserviceType.byManifestName(p.path("type").asText()).orElse(null);
            if (n == null || t == null || !n.isSmartNic() || !p.path("role").asText().equals("primary")) {
                continue;
            }
            double rps = MicroserviceProfile.of(t).perCoreRps(CoreClass.WIMPY);
            if (rps < slowest) {
                slowest = rps;
                best = new Target(p.path("instance").asText(), n.id(), plan.ipOf(n.id()), 0);
            }
        }
        if (best == null) {
            throw new FailureException("placement put no primary instance on a SmartNIC; nothing to overload");
        }
        return best;
    }

    private static Summary drive(EmbeddedCluster c, ControllerClient api, AppManifest app, AppRoutes routes,
                                 JsonNode placements, Target hot, Duration duration, double dilation, String url,
                                 String dashboardUrl, Consumer<String> progress, String clusterName)
            throws InterruptedException {
        String entry = app.app().entry().get(0);
        AppClient client = c.client(0);
        Histogram latency = new Histogram(3_600_000_000L, 3);
        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong lost = new AtomicLong();
        List<CompletableFuture<Reply>> outstanding = java.util.Collections.synchronizedList(new ArrayList<>());
        double energyBefore = energy(c);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        // The hot instance gets light load from the start (8 outstanding: its cores are busy, nothing queues), so the
        // orchestrator learns its usual execution time; after a third of the run the load jumps to 100 outstanding.
        AtomicBoolean steady = new AtomicBoolean(true);
        Semaphore hotPermits = new Semaphore(8);
        String hotService = hot.instance().substring(hot.instance().indexOf('/') + 1, hot.instance().indexOf('.'));
        RoutesCache hotRoutes = new RoutesCache(api, hot.instance().substring(0, hot.instance().indexOf('/')),
                c.plan());
        RoutesCache appRoutes = new RoutesCache(api, app.name(), c.plan());
        Thread hotLoad = new Thread(() -> load(client, hotRoutes, hotService, hotPermits, steady, sent, answered,
                lost, latency, outstanding, "{\"key\": \"hot\", \"id\": %d}"), "e3-demo-hot");
        Thread base = new Thread(() -> load(client, appRoutes, entry, new Semaphore(16), steady, sent, answered, lost,
                latency, outstanding, "{\"key\": \"t%d\", \"id\": %<d}"), "e3-demo-load");
        progress.accept("loading " + app.name() + " through " + entry + ", and " + hot.instance());
        base.start();
        hotLoad.start();
        boolean spiked = false;
        boolean moved = false;
        while (System.nanoTime() < end) {
            long elapsed = System.nanoTime() - start;
            if (!spiked && elapsed > duration.toNanos() / 3) {
                progress.accept("overloading " + hot.instance() + " on " + hot.node() + ": 100 requests outstanding");
                hotPermits.release(92);
                spiked = true;
            }
            if (spiked && !moved && migrated(api, hot.instance())) {
                progress.accept(hot.instance() + " migrated off " + hot.node() + "; load goes on");
                moved = true;
            }
            Thread.sleep(200);
        }
        steady.set(false);
        base.join();
        hotLoad.join();
        try {
            CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            progress.accept("some requests were still unanswered after a minute");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double emulatedSeconds = seconds / dilation;
        double joules = energy(c) - energyBefore;
        long requests = sent.get();
        long unanswered = requests - answered.get();
        JsonNode migrations = ControllerClient.require(api.get("/v1/migrations"), 200);
        List<JsonNode> moves = new ArrayList<>();
        migrations.forEach(moves::add);
        Map<String, Map<String, Integer>> byNode = new TreeMap<>();
        for (JsonNode p : placements) {
            byNode.computeIfAbsent(p.path("node").asText(), k -> new TreeMap<>())
                    .merge(p.path("service").asText(), 1, Integer::sum);
        }
        List<String> metrics = c.agents().values().stream().map(a -> a.url() + "/metrics").toList();
        return new Summary(app.name(), clusterName, dilation, seconds, requests, lost.get() + unanswered,
                answered.get() / emulatedSeconds,
                new Latency(latency.getValueAtPercentile(50) / 1e3 / dilation,
                        latency.getValueAtPercentile(99) / 1e3 / dilation),
                moves, joules / emulatedSeconds, joules > 0 ? answered.get() / joules : 0, hot.instance(), byNode,
                url, dashboardUrl, metrics);
    }

    private static boolean migrated(ControllerClient api, String instance) {
        JsonNode all = api.get("/v1/migrations").body();
        for (JsonNode m : all) {
            if (m.path("instance").asText().equals(instance) && !m.path("phase").asText().equals("RUNNING")) {
                return true;
            }
        }
        return false;
    }

    /** Keeps as many requests outstanding as {@code permits} allows while {@code on}; via the entry or to a target. */
    private static void load(AppClient client, RoutesCache routes, String service, Semaphore permits,
                             AtomicBoolean on, AtomicLong sent, AtomicLong answered, AtomicLong lost, Histogram latency,
                             List<CompletableFuture<Reply>> outstanding, String body) {
        while (on.get()) {
            try {
                if (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            long i = sent.getAndIncrement();
            byte[] payload = String.format(body, i).getBytes(StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            CompletableFuture<Reply> r = client.call(routes, service, "t" + i, (int) i, payload);
            outstanding.add(r.whenComplete((reply, e) -> {
                permits.release();
                answered.incrementAndGet();
                if (reply == null || !reply.ok() || !reply.text().contains("\"failures\":0")) {
                    lost.incrementAndGet();
                } else {
                    synchronized (latency) {
                        latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    }
                }
            }));
        }
    }

    /** An app's routing table from the controller, fetched again at most every 100 ms when asked. */
    static final class RoutesCache implements java.util.function.Supplier<AppRoutes> {
        private final ControllerClient api;
        private final String app;
        private final AddressPlan plan;
        private AppRoutes routes;
        private long fetchedAt;

        RoutesCache(ControllerClient api, String app, AddressPlan plan) {
            this.api = api;
            this.app = app;
            this.plan = plan;
        }

        @Override
        public synchronized AppRoutes get() {
            if (routes == null || System.nanoTime() - fetchedAt > 100_000_000L) {
                try {
                    JsonNode table = ControllerClient.require(api.get("/v1/apps/" + app + "/routes"), 200);
                    routes = AppRoutes.parse(app, table, plan);
                    fetchedAt = System.nanoTime();
                } catch (io.e3.agent.control.InvalidBodyException | FailureException e) {
                    if (routes == null) {
                        throw new FailureException("routes of " + app + ": " + e.getMessage());
                    }
                }
            }
            return routes;
        }
    }

    private static double energy(EmbeddedCluster c) {
        return c.agents().values().stream().mapToDouble(a -> a.metrics().energyJoules()).sum();
    }

    /** The nodes' agents, for printing. */
    static List<NodeAgent> agents(EmbeddedCluster c) {
        return List.copyOf(c.agents().values());
    }
}
