package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.AppClient;
import io.e3.agent.EmbeddedCluster;
import io.e3.loadtest.Arrivals;
import io.e3.loadtest.LoadGenerator;
import io.e3.loadtest.LoadReport;
import io.e3.model.manifest.AppManifest;
import io.e3.model.topology.Cluster;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One run of the demo on a running cluster and controller, loaded by the load generator of {@code load-tests}: the
 * app's load, an open loop (Poisson arrivals) through its entry service from the start; a closed loop of a few
 * requests on the instance to overload, then after a third of the run of many (the overload itself); each migration
 * announced as it ends; then the measurements, taken as {@link DemoSummary} describes.
 */
final class DemoRun {

    /** A request not answered this long after it was sent counts as unanswered, so lost. */
    static final Duration ANSWER_LIMIT = Duration.ofMinutes(1);
    /**
     * App load sent first, at the run's rate, and not measured: the client's and the agents' code paths run cold at
     * first (JIT compilation), which took the p99 of the first 3 s to 2.6 s of real time.
     */
    static final Duration WARMUP = Duration.ofSeconds(2);
    /** The app load's Poisson arrivals: one seed, so one schedule for every run at a rate. */
    private static final long SEED = 1;
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

    /** What the run was asked to do: the app and cluster, D, the load's length and rate, the service it entered at. */
    private record Setting(String app, String cluster, double dilation, double loadSeconds, double offeredRps,
                           String entryService) {
    }

    /** The app's load and what the cluster spent on it: real seconds to its last answer, modelled joules. */
    private record AppLoad(LoadReport report, double seconds, double joules) {
    }

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

    /**
     * Loads the app at {@code rate} requests per emulated second for {@code duration}, overloads the target meanwhile,
     * and measures.
     */
    DemoSummary drive(Duration duration, double rate, double dilation, JsonNode before, String url,
                      String dashboardUrl, String clusterName) throws InterruptedException {
        String entry = app.app().entry().get(0);
        RoutesCache appRoutes = RoutesCache.of(api, app.name(), cluster.plan());
        appRoutes.get(); // fails the demo now if the controller has no usable table, rather than every request
        AppClient client = cluster.client(0);
        AppTarget appTarget = new AppTarget(client, appRoutes, entry, "t");
        Optional<AppTarget> overloadTarget = target.map(this::overloadTarget);
        progress.accept("warming up: " + app.name() + " through " + entry + " for " + WARMUP.toSeconds()
                + " s, not measured");
        LoadReport warmup = LoadGenerator.builder().timeout(ANSWER_LIMIT).build()
                .openLoop(new AppTarget(client, appRoutes, entry, "w"), arrivals(rate, dilation), WARMUP);
        double energyBefore = energy(cluster);
        long start = System.nanoTime();
        progress.accept("loading " + app.name() + " through " + entry);
        CompletableFuture<AppLoad> appLoad = inThread("e3-demo-load", () -> {
            LoadReport r = appGenerator(entry).openLoop(appTarget, arrivals(rate, dilation), duration);
            // The measured window ends with the app's last answer; the overload may take longer to drain.
            return new AppLoad(r, (System.nanoTime() - start) / 1e9, energy(cluster) - energyBefore);
        });
        CompletableFuture<List<LoadReport>> overload = overloadTarget.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : inThread("e3-demo-overload", () -> overload(overloadTarget.get(), start, duration));
        boolean stopping = false;
        while (!appLoad.isDone() || !overload.isDone()) {
            if (!stopping && System.nanoTime() - start >= duration.toNanos()) {
                progress.accept("load stopped; waiting for the last answers");
                stopping = true;
            }
            reportMigrations(start);
            Thread.sleep(200);
        }
        List<DemoSummary.Migration> migrations = settledMigrations(start);
        JsonNode after = ControllerClient.require(api.get("/v1/placements"), 200);
        return summary(new Setting(app.name(), clusterName, dilation, duration.toMillis() / 1e3, rate,
                entry), warmup, join(appLoad), join(overload), migrations, before, after, url, dashboardUrl);
    }

    /** Poisson arrivals at {@code rate} requests per emulated second. */
    private static Arrivals arrivals(double rate, double dilation) {
        return Arrivals.poisson(rate / dilation, SEED);
    }

    /** The app load's generator: progress in real time, as the generator measures it. */
    private LoadGenerator appGenerator(String entry) {
        return LoadGenerator.builder().timeout(ANSWER_LIMIT).progressListener(p -> progress.accept(String.format(
                Locale.ROOT, "loading %s through %s: %.0f s, %d sent, %d answered, p99 of the last second %s (real)",
                app.name(), entry, p.elapsedSeconds(), p.sent(), p.answered(), Units.micros(p.intervalP99Micros()))))
                .build();
    }

    /**
     * Requests to {@code t} from a client address of their own: its service's routes pinned to it, so that every
     * request goes to it wherever it runs.
     */
    private AppTarget overloadTarget(OverloadTarget t) {
        RoutesCache pinned = RoutesCache.pinned(api, app.name(), cluster.plan(), t.service(), t.instance());
        pinned.get();
        return new AppTarget(cluster.client(1), pinned, t.service(), "o");
    }

    /**
     * On the target, until {@code duration} after {@code start}: the steady load from {@link #STEADY_LEAD} before a
     * third of the run, then the overload. Returns both runs' reports.
     */
    private List<LoadReport> overload(AppTarget to, long start, Duration duration) {
        OverloadTarget t = target.orElseThrow();
        long overloadAt = duration.toNanos() / 3;
        long steadyAt = Math.max(0, overloadAt - STEADY_LEAD.toNanos());
        sleepUntil(start + steadyAt);
        progress.accept("loading " + app.name() + ", and " + t.instance() + " directly (" + STEADY_OUTSTANDING
                + " requests outstanding)");
        LoadGenerator generator = LoadGenerator.builder().timeout(ANSWER_LIMIT).build();
        LoadReport steady = generator.closedLoop(to, STEADY_OUTSTANDING, Duration.ofNanos(overloadAt - steadyAt));
        announce.accept(at(start) + "overloading " + t.instance() + " on " + t.node() + ": " + OVERLOAD_OUTSTANDING
                + " requests outstanding");
        long left = duration.toNanos() - (System.nanoTime() - start);
        return left <= 0 ? List.of(steady)
                : List.of(steady, generator.closedLoop(to, OVERLOAD_OUTSTANDING, Duration.ofNanos(left)));
    }

    private DemoSummary summary(Setting setting, LoadReport warmup, AppLoad a, List<LoadReport> overload,
                                List<DemoSummary.Migration> migrations, JsonNode before, JsonNode after, String url,
                                String dashboardUrl) {
        double dilation = setting.dilation();
        double emulatedSeconds = a.seconds() / dilation;
        LoadReport r = a.report();
        DemoSummary.Overload o = target.map(t -> DemoSummary.Overload.of(t.instance(), t.node(), overload))
                .orElseGet(() -> DemoSummary.Overload.skipped("HCM put no primary instance of " + app.name()
                        + " on a SmartNIC"));
        long lost = warmup.errors() + warmup.timeouts() + r.errors() + r.timeouts() + o.failed() + o.unanswered();
        DemoSummary.Latency ms = new DemoSummary.Latency(r.p50Micros() / 1e3 / dilation,
                r.p99Micros() / 1e3 / dilation);
        Cluster topology = cluster.plan().cluster();
        Map<String, DemoSummary.NodePlacement> placedBefore = DemoSummary.NodePlacement.byNode(before,
                app.name(), topology);
        Map<String, DemoSummary.NodePlacement> placedAfter = DemoSummary.NodePlacement.byNode(after, app.name(),
                topology);
        List<String> metrics = cluster.agents().values().stream().map(n -> n.url() + "/metrics").toList();
        return new DemoSummary(setting.app(), setting.cluster(), dilation, setting.loadSeconds(),
                setting.offeredRps(), setting.entryService(), warmup.sent(), a.seconds(), emulatedSeconds, r.sent(),
                r.ok(), r.errors(), r.timeouts(), o, lost, r.ok() / emulatedSeconds, ms, a.joules(),
                a.joules() / emulatedSeconds, a.joules() > 0 ? r.ok() / a.joules() : 0, migrations, placedBefore,
                placedAfter, url, dashboardUrl, metrics);
    }

    /** Runs {@code work} on a thread of its own, named {@code name}. */
    private static <T> CompletableFuture<T> inThread(String name, Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        });
    }

    private static <T> T join(CompletableFuture<T> done) {
        try {
            return done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static void sleepUntil(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
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
