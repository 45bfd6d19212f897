package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.EmbeddedCluster;
import io.e3.model.manifest.AppManifest;
import io.e3.model.topology.Cluster;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * One run of the demo on a running cluster and controller: the app's load through its entry service from the start;
 * a steady load on the instance to overload, then after a third of the run the overload itself; each migration
 * announced as it ends; then the measurements, taken as {@link DemoSummary} describes.
 */
final class DemoRun {

    /** Requests the app's load keeps outstanding through the entry service. */
    private static final int APP_OUTSTANDING = 16;
    /**
     * Requests kept outstanding to the instance to overload, from {@link #STEADY_LEAD} before the overload: enough for
     * the orchestrator to learn its usual execution time (it needs 10 heartbeats with at least 3 requests each), few
     * enough that they rarely wait for a core; then the overload queues them well past the 20 % threshold.
     */
    static final int STEADY_OUTSTANDING = 8;
    /**
     * How long the steady load runs before the overload. The SmartNIC's cores take requests in turn, so now and then
     * one waits behind a long request of the app's; the longer the steady phase, the likelier a few such heartbeats in
     * a row look like an overload before the real one.
     */
    static final Duration STEADY_LEAD = Duration.ofSeconds(3);
    private static final int OVERLOAD_OUTSTANDING = 100;

    private final EmbeddedCluster cluster;
    private final ControllerClient api;
    private final AppManifest app;
    private final Optional<OverloadTarget> target;
    private final Consumer<String> progress;
    private final Consumer<String> announce;
    private final Set<Long> reported = new HashSet<>();

    DemoRun(EmbeddedCluster cluster, ControllerClient api, AppManifest app, Optional<OverloadTarget> target,
            Consumer<String> progress, Consumer<String> announce) {
        this.cluster = cluster;
        this.api = api;
        this.app = app;
        this.target = target;
        this.progress = progress;
        this.announce = announce;
    }

    DemoSummary drive(Duration duration, double dilation, JsonNode before, String url, String dashboardUrl,
                      String clusterName) throws InterruptedException {
        String entry = app.app().entry().get(0);
        RoutesCache appRoutes = RoutesCache.of(api, app.name(), cluster.plan());
        appRoutes.get(); // fails the demo now if the controller has no usable table, rather than every request
        DemoLoad appLoad = new DemoLoad("e3-demo-load", cluster.client(0), appRoutes, entry, "t", APP_OUTSTANDING);
        DemoLoad overload = target.map(this::overloadLoad).orElse(null);
        double energyBefore = energy(cluster);
        long start = System.nanoTime();
        progress.accept("loading " + app.name() + " through " + entry);
        appLoad.start();
        timeline(start, duration, overload);
        progress.accept("stopping the load and waiting for the last answers");
        appLoad.stopSending();
        if (overload != null) {
            overload.stopSending();
        }
        // The measured window ends with the app's last answer; the overload may take longer to drain.
        boolean allAnswered = appLoad.awaitAnswers(Duration.ofMinutes(1));
        double seconds = (System.nanoTime() - start) / 1e9;
        double joules = energy(cluster) - energyBefore;
        if (overload != null) {
            allAnswered &= overload.awaitAnswers(Duration.ofMinutes(1));
        }
        if (!allAnswered) {
            announce.accept("some requests were still unanswered a minute after the load stopped");
        }
        List<DemoSummary.Migration> migrations = settledMigrations(start);
        JsonNode after = ControllerClient.require(api.get("/v1/placements"), 200);
        return summary(clusterName, dilation, duration, seconds, joules, entry, appLoad, overload, migrations,
                before, after, url, dashboardUrl);
    }

    /**
     * The load on {@code t}, from a client address of its own: its service's routes pinned to it, so that every request
     * goes to it wherever it runs.
     */
    private DemoLoad overloadLoad(OverloadTarget t) {
        RoutesCache pinned = RoutesCache.pinned(api, app.name(), cluster.plan(), t.service(), t.instance());
        pinned.get();
        return new DemoLoad("e3-demo-overload", cluster.client(1), pinned, t.service(), "o", STEADY_OUTSTANDING);
    }

    /**
     * Until {@code duration} after {@code start}: starts the steady load on the target {@link #STEADY_LEAD} before a
     * third of the run, raises it to the overload at a third, and announces migrations as they end.
     */
    private void timeline(long start, Duration duration, DemoLoad overload) throws InterruptedException {
        long overloadAt = duration.toNanos() / 3;
        long steadyAt = Math.max(0, overloadAt - STEADY_LEAD.toNanos());
        boolean steady = false;
        boolean spiked = false;
        while (System.nanoTime() - start < duration.toNanos()) {
            long now = System.nanoTime() - start;
            if (overload != null && !steady && now >= steadyAt) {
                progress.accept("loading " + app.name() + ", and " + target.get().instance() + " directly ("
                        + STEADY_OUTSTANDING + " requests outstanding)");
                overload.start();
                steady = true;
            }
            if (overload != null && !spiked && now >= overloadAt) {
                OverloadTarget t = target.get();
                announce.accept(at(start) + "overloading " + t.instance() + " on " + t.node() + ": "
                        + OVERLOAD_OUTSTANDING + " requests outstanding");
                overload.raise(OVERLOAD_OUTSTANDING - STEADY_OUTSTANDING);
                spiked = true;
            }
            reportMigrations(start);
            Thread.sleep(200);
        }
    }

    private DemoSummary summary(String clusterName, double dilation, Duration duration, double seconds, double joules,
                                String entry, DemoLoad appLoad, DemoLoad overload,
                                List<DemoSummary.Migration> migrations, JsonNode before, JsonNode after, String url,
                                String dashboardUrl) {
        double emulatedSeconds = seconds / dilation;
        DemoLoad.Counts a = appLoad.counts();
        DemoSummary.Overload o = overload == null
                ? DemoSummary.Overload.skipped("HCM put no primary instance of " + app.name() + " on a SmartNIC")
                : DemoSummary.Overload.of(target.get().instance(), target.get().node(), overload.counts());
        long lost = a.notServed() + (overload == null ? 0 : overload.counts().notServed());
        Histogram latency = appLoad.latency();
        DemoSummary.Latency ms = new DemoSummary.Latency(latency.getValueAtPercentile(50) / 1e3 / dilation,
                latency.getValueAtPercentile(99) / 1e3 / dilation);
        Cluster topology = cluster.plan().cluster();
        Map<String, DemoSummary.NodePlacement> placedBefore = DemoSummary.NodePlacement.byNode(before,
                app.name(), topology);
        Map<String, DemoSummary.NodePlacement> placedAfter = DemoSummary.NodePlacement.byNode(after, app.name(),
                topology);
        List<String> metrics = cluster.agents().values().stream().map(n -> n.url() + "/metrics").toList();
        return new DemoSummary(app.name(), clusterName, dilation, duration.toMillis() / 1e3, seconds,
                emulatedSeconds, entry, a.sent(),
                a.served(), a.failed(), a.unanswered(), o, lost, a.served() / emulatedSeconds, ms, joules,
                joules / emulatedSeconds, joules > 0 ? a.served() / joules : 0, migrations, placedBefore,
                placedAfter, url, dashboardUrl, metrics);
    }

    /** Announces each migration once it has ended, with its status. */
    private void reportMigrations(long start) {
        ControllerClient.Answer answer = api.get("/v1/migrations");
        if (answer.status() != 200) {
            return;
        }
        for (DemoSummary.Migration m : DemoSummary.Migration.all(answer.body())) {
            if (!m.status().equals("RUNNING") && reported.add(m.id())) {
                announce.accept(at(start) + (m.succeeded()
                        ? "migrated " + m.instance() + " from " + m.from() + " to " + m.to() + "; load goes on"
                        : "migration of " + m.instance() + " from " + m.from() + " to " + m.to() + " "
                                + m.status() + ": " + m.error()));
            }
        }
    }

    /** The migrations, once none is running any more (at most 30 s after the load stopped). */
    private List<DemoSummary.Migration> settledMigrations(long start) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            reportMigrations(start);
            List<DemoSummary.Migration> all = DemoSummary.Migration.all(
                    ControllerClient.require(api.get("/v1/migrations"), 200));
            if (all.stream().noneMatch(m -> m.status().equals("RUNNING")) || System.nanoTime() > deadline) {
                return all;
            }
            Thread.sleep(100);
        }
    }

    /** "12.3 s: ", the time since {@code start}, to prefix an announcement. */
    private static String at(long start) {
        return String.format(Locale.ROOT, "%.1f s: ", (System.nanoTime() - start) / 1e9);
    }

    /** Modelled joules the whole cluster has used so far. */
    private static double energy(EmbeddedCluster c) {
        return c.agents().values().stream().mapToDouble(a -> a.metrics().energyJoules()).sum();
    }
}
