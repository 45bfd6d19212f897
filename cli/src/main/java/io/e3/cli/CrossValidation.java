package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.AppClient;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.emu.Emulation;
import io.e3.loadtest.Arrivals;
import io.e3.loadtest.LoadGenerator;
import io.e3.loadtest.LoadReport;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.perf.Knee;
import io.e3.model.placement.Assignment;
import io.e3.model.topology.AddressPlan;
import io.e3.simulator.ClientModel;
import io.e3.simulator.KneeSearch;
import io.e3.simulator.ProgressListener;
import io.e3.simulator.Scenario;
import io.e3.simulator.SimulationConfig;
import io.e3.simulator.SimulationResult;
import io.e3.simulator.Simulator;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The simulator against the emulated cluster, app by app (docs/simulator.md, "Cross-validation"): the same app on the
 * same cluster manifest, placed by HCM, loaded with constant arrivals; both sides search the knee by the one rule
 * ({@link Knee}) from the same start rate, then run at the same operating point, half the simulator's knee.
 *
 * <p>The simulator runs first: its knee K and its low-load mean latency L₀ set the scale of the emulated run. The
 * emulated cluster runs at dilation D = max({@value #MIN_DILATION}, K / {@code realRate},
 * {@value #REAL_LATENCY_SECONDS} s / L₀) ({@link #dilation}): at least so high that its knee is at most
 * {@code realRate} real requests per second, which two cores serve with time to spare, and that the app's low-load
 * latency is at least {@value #REAL_LATENCY_SECONDS} s of real time. Every real figure is converted back to emulated
 * time (rates times D, latencies over D). The data-plane orchestrator is off on both sides (the controller takes no
 * heartbeats), so that nothing migrates: the comparison is of the data path.
 */
final class CrossValidation {

    /** Lowest dilation: the default of the emulated cluster. */
    static final double MIN_DILATION = Emulation.DEFAULT_DILATION;
    /** The knee's start rate r₀ is the simulator's knee over this: three doublings to bracket it. */
    static final double START_FRACTION = 8;
    /**
     * Real time the app's low-load latency L₀ takes at least on the emulated cluster: D ≥ this / L₀.
     *
     * <p>The emulated path costs real time of its own on every serial wait and hop of a request (the agents' and the
     * services' code, the loopback network, the scheduling of threads: some 8.5 ms a request for iot-ts's 35 or so
     * serial steps on a 2-core machine). Divided by D, it shows as emulated latency the simulator does not model, and
     * it raises L₀ and with it the knee's allowance. At D = K / realRate alone an app with a low knee and a long
     * latency (iot-ts: D ≈ 44, L₀ ≈ 1 ms) gets some 190 µs of it, about a fifth of L₀. With L₀ at least 200 ms of
     * real time, the overhead stays a few per cent of it (iot-ts: D ≈ 190, some 45 µs); a higher bound would buy
     * little more and lower the real rates further, and with them the requests a step of a given length measures
     * ({@link #MIN_STEP_REQUESTS}).
     */
    static final double REAL_LATENCY_SECONDS = 0.200;
    /** Agreement asked of the simulator: knee throughput and mean latency within 15 %, p99 within 30 %. */
    static final double KNEE_AND_MEAN_TOLERANCE = 0.15;
    static final double P99_TOLERANCE = 0.30;
    /**
     * Fewest requests a measured emulated knee step sends: a step lasts longer than {@link Settings#step} if its real
     * rate needs it. The first step's mean is L₀, the yardstick of every other; at the dilation an app with a long
     * latency needs (iot-ts: D ≈ 190, 4 real requests/s at r₀) a 5 s step would send about 20.
     */
    static final int MIN_STEP_REQUESTS = 100;
    /** Fewest requests of the operating-point run, whose p99 is compared: so that it is not just the largest. */
    static final int MIN_OPERATING_REQUESTS = 200;
    /** Bisections of the simulator's knee search. */
    static final int SIMULATED_REFINEMENTS = 8;

    /**
     * How to run.
     *
     * @param realRate     real requests per second the emulated knee comes to at the most (an upper bound: the
     *                     latency term of {@link #dilation} may raise D, and lower the real rate)
     * @param step         real duration of each emulated knee step and of the operating-point run
     * @param refinements  bisections of both knee searches
     * @param block        the address block of the emulated cluster
     * @param controllerJar the controller to start
     */
    record Settings(double realRate, Duration step, int refinements, int block, Path controllerJar) {
    }

    /** Which term of {@link #dilation} decided D. */
    enum DilationTerm {
        /** The lowest dilation, {@value #MIN_DILATION}. */
        MINIMUM,
        /** K / realRate: the knee at no more than the real rate. */
        KNEE,
        /** {@value #REAL_LATENCY_SECONDS} s / L₀: the real overhead a small share of the latency. */
        LATENCY
    }

    /**
     * The dilation of the emulated run and the term that decided it.
     *
     * @param value D
     * @param term  the term of the maximum that D equals (the first of MINIMUM, KNEE, LATENCY on a tie)
     */
    record Dilation(double value, DilationTerm term) {
    }

    /**
     * D = max({@value #MIN_DILATION}, K / realRate, {@value #REAL_LATENCY_SECONDS} s / L₀).
     *
     * @param kneeRate        K, the simulator's knee, requests per second (modelled time)
     * @param realRate        the real requests per second the emulated knee may come to at the most
     * @param baselineSeconds L₀, the simulator's mean latency at the knee search's start rate, in seconds
     * @throws IllegalArgumentException if any of them is not a positive finite number: without a knee or a low-load
     *                                  latency there is nothing to scale the emulated run by
     */
    static Dilation dilation(double kneeRate, double realRate, double baselineSeconds) {
        requirePositive("the simulated knee K", kneeRate, "requests/s");
        requirePositive("the real rate", realRate, "requests/s");
        requirePositive("the simulated low-load latency L₀", baselineSeconds, "s");
        double byKnee = kneeRate / realRate;
        double byLatency = REAL_LATENCY_SECONDS / baselineSeconds;
        if (byLatency > byKnee && byLatency > MIN_DILATION) {
            return new Dilation(byLatency, DilationTerm.LATENCY);
        }
        if (byKnee > MIN_DILATION) {
            return new Dilation(byKnee, DilationTerm.KNEE);
        }
        return new Dilation(MIN_DILATION, DilationTerm.MINIMUM);
    }

    private static void requirePositive(String what, double value, String unit) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException("dilation: " + what + " must be a positive finite number of " + unit
                    + ", got " + value);
        }
    }

    /**
     * One side's figures, in emulated (modelled) time.
     *
     * @param kneeThroughput     X(r*)
     * @param kneeOfferedRate    r*
     * @param baselineMeanMicros L₀, the mean latency at the start rate
     * @param meanMicros         mean latency at the operating point
     * @param p99Micros          99th percentile at the operating point
     * @param requests           requests completed at the operating point
     * @param steps              the knee search's steps
     */
    record Side(double kneeThroughput, double kneeOfferedRate, double baselineMeanMicros, double meanMicros,
                double p99Micros, long requests, List<Knee.Step> steps) {
    }

    /**
     * One app's comparison.
     *
     * @param app               the app
     * @param dilation          D of the emulated run
     * @param dilationTerm      the term of {@link #dilation} that decided D
     * @param startRate         r₀ of both knee searches
     * @param allowanceMicros   the queueing delay both knee searches allow below the knee: the rule's share of the
     *                          simulator's L₀
     * @param operatingRate     the rate of the latency comparison: half the simulator's knee rate
     * @param placementDiffers  instances the controller placed elsewhere than the simulator (0: the same placement)
     * @param simulated         the simulator's figures
     * @param emulated          the emulated cluster's
     * @param kneeError         |emulated − simulated| / emulated, knee throughput
     * @param meanError         the same, mean latency at the operating point
     * @param p99Error          the same, p99 at the operating point
     * @param agrees            whether all three are within their tolerance
     */
    record Row(String app, double dilation, DilationTerm dilationTerm, double startRate, double allowanceMicros,
               double operatingRate, int placementDiffers, Side simulated, Side emulated, double kneeError,
               double meanError, double p99Error, boolean agrees) {
    }

    /**
     * The report.
     *
     * @param cluster          the cluster's name
     * @param kneeAndMeanTolerance tolerance of knee throughput and mean latency
     * @param p99Tolerance     tolerance of p99
     * @param rows             one per app
     * @param agree            whether every row agrees
     */
    record Report(String cluster, double kneeAndMeanTolerance, double p99Tolerance, List<Row> rows, boolean agree) {
    }

    private final ClusterManifest cluster;
    private final Path clusterFile;
    private final Settings settings;
    private final Consumer<String> progress;

    CrossValidation(ClusterManifest cluster, Path clusterFile, Settings settings, Consumer<String> progress) {
        this.cluster = cluster;
        this.clusterFile = clusterFile;
        this.settings = settings;
        this.progress = progress;
    }

    /** Compares every app, one after the other, each on a fresh cluster. */
    Report run(List<AppManifest> apps, List<Path> appFiles) throws IOException, InterruptedException {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < apps.size(); i++) {
            rows.add(compare(apps.get(i), appFiles.get(i)));
        }
        return new Report(cluster.name(), KNEE_AND_MEAN_TOLERANCE, P99_TOLERANCE, rows,
                rows.stream().allMatch(Row::agrees));
    }

    private Row compare(AppManifest app, Path appFile) throws IOException, InterruptedException {
        String name = app.name();
        progress.accept(name + ": simulating");
        Simulator sim = Simulator.place(Scenario.of(cluster.cluster(), List.of(app.app())),
                SimulationConfig.builder().client(ClientModel.constant(1)).orchestrate(false).durationSeconds(2)
                        .warmupSeconds(0.5).build());
        // A first search finds the scale; the compared one starts where the emulated one will.
        double scale = KneeSearch.find(sim, KneeSearch.Settings.from(100).withRefinements(3), ProgressListener.NONE)
                .offeredRate();
        double startRate = scale / START_FRACTION;
        Knee.Rule rule = Knee.Rule.from(startRate).withRefinements(settings.refinements());
        // The simulator's steps cost little: it bisects further, so its knee is exact to 0.5 % of the bracket; the
        // emulated knee is the lower end of a bracket of 1/2^refinements of it.
        Knee.Result simKnee = KneeSearch.find(sim, KneeSearch.Settings.of(rule.withRefinements(
                SIMULATED_REFINEMENTS), 2, 0.5), ProgressListener.NONE);
        double operating = simKnee.offeredRate() / 2;
        SimulationResult simOp = sim.with(sim.config().toBuilder().client(ClientModel.constant(operating))
                .durationSeconds(4).warmupSeconds(1).build()).run();
        Side simulated = new Side(simKnee.throughput(), simKnee.offeredRate(), simKnee.baselineMeanMicros(),
                simOp.latency().meanMicros(), simOp.latency().p99Micros(), simOp.latency().count(), simKnee.steps());
        Dilation d;
        try {
            d = dilation(simKnee.offeredRate(), settings.realRate(), simKnee.baselineMeanMicros() / 1e6);
        } catch (IllegalArgumentException x) {
            throw new FailureException(name + ": " + x.getMessage(), x);
        }
        double dilation = d.value();
        Map<String, String> simPlacement = new HashMap<>();
        for (Assignment a : sim.deployment().placements().get(0).assignments()) {
            simPlacement.put(a.instance().id(), a.nodeId());
        }
        // Both searches allow the same queueing delay, in µs of modelled time: the simulator's share of its L₀. The
        // emulated L₀ also holds the real time the agents' code and sockets take on a request, over D (some 4 µs of
        // rta-shm's 86 µs); as a share of that L₀ the allowance would grow by a quarter of it, and where the latency
        // rises gradually to the knee (rta-shm: 0.1 µs per 1,000 requests/s there) the knee by several per cent.
        double allowance = rule.queueingAllowance() * simKnee.baselineMeanMicros();
        Emulated e = emulate(app, appFile, dilation, rule, allowance, operating, simPlacement);
        double kneeError = relative(e.side.kneeThroughput(), simulated.kneeThroughput());
        double meanError = relative(e.side.meanMicros(), simulated.meanMicros());
        double p99Error = relative(e.side.p99Micros(), simulated.p99Micros());
        return new Row(name, dilation, d.term(), startRate, allowance, operating, e.placementDiffers, simulated, e.side,
                kneeError, meanError, p99Error, kneeError <= KNEE_AND_MEAN_TOLERANCE
                && meanError <= KNEE_AND_MEAN_TOLERANCE && p99Error <= P99_TOLERANCE);
    }

    private record Emulated(Side side, int placementDiffers) {
    }

    /** The emulated side: a fresh cluster and controller at {@code dilation}, the app applied, the same searches. */
    private Emulated emulate(AppManifest app, Path appFile, double dilation, Knee.Rule rule, double allowance,
                             double operating, Map<String, String> simPlacement) throws IOException, InterruptedException {
        String name = app.name();
        AddressPlan plan = AddressPlan.of(cluster.cluster(), settings.block());
        String token = RunOptions.randomToken();
        Path state = Files.createTempDirectory("e3-validate-state");
        progress.accept(String.format(Locale.ROOT, "%s: starting the emulated cluster (D = %.0f)", name, dilation));
        try (EmbeddedCluster c = EmbeddedCluster.start(plan, Emulation.DEFAULT.withDilation(dilation), token);
             ControllerProcess controller = ControllerProcess.start(settings.controllerJar(), clusterFile,
                     settings.block(), token, AddressPlan.text(plan.controllerIp()), ControllerOptions.DEFAULT_PORT,
                     state, "hcm", false, Map.of("e3.heartbeats.enabled", "false"))) {
            if (!controller.awaitReady(token, Duration.ofSeconds(90))) {
                throw new FailureException("the controller did not come up at " + controller.url());
            }
            ControllerClient api = new ControllerClient(URI.create(controller.url()), token, "");
            progress.accept(name + ": applying it");
            ControllerClient.require(api.post("/v1/apps", "application/yaml", Files.readAllBytes(appFile)), 200, 201);
            LiveDemo.awaitRunning(api, name);
            int differs = 0;
            for (JsonNode p : ControllerClient.require(api.get("/v1/placements"), 200)) {
                String instance = p.path("instance").asText();
                if (instance.startsWith(name + "/") && !p.path("node").asText().equals(simPlacement.get(instance))) {
                    differs++;
                }
            }
            Vertx vertx = c.vertx();
            AppClient client = LoadCommand.bind(vertx, plan);
            try {
                // Every entry service in turn, as the simulator's client sends (rta-shm has two: count and search).
                AppTarget target = new AppTarget(client, RoutesCache.of(api, name, plan), app.app().entry(),
                        "validate-");
                return new Emulated(measure(name, target, dilation, rule, allowance, operating), differs);
            } finally {
                client.stop().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                        .exceptionally(x -> null).join();
            }
        }
    }

    /** Both measurements on the emulated cluster, converted to emulated time. */
    private Side measure(String name, AppTarget target, double dilation, Knee.Rule rule, double allowance,
                         double operating)
            throws InterruptedException {
        LoadGenerator warm = LoadGenerator.builder().timeout(Duration.ofSeconds(60)).build();
        // JIT compilation of the agents' and the services' code on the path: the first requests of a fresh cluster
        // run slow, which would raise L₀ and with it the knee's allowance. Warm up on the search's first rates.
        for (int k = 1; k <= 4; k *= 2) {
            progress.accept(String.format(Locale.ROOT, "%s: warming up at %.0f/s, not measured", name,
                    k * rule.startRate()));
            warm.openLoop(target, Arrivals.constant(k * rule.startRate() / dilation), settings.step());
        }
        Knee.Result knee = Knee.find(rate -> {
            progress.accept(String.format(Locale.ROOT, "%s: knee step at %.0f/s (%.1f/s real)", name, rate,
                    rate / dilation));
            LoadReport r = warm.openLoop(target, Arrivals.constant(rate / dilation),
                    lasting(rate / dilation, MIN_STEP_REQUESTS));
            try {
                drain(r);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new FailureException("interrupted");
            }
            // Every request sent in the step counts once answered: the window's last requests are still on their
            // way when it closes, a share (latency / step) that is not the cluster falling behind.
            return new Knee.Measurement(r.ok() / r.durationSeconds() * dilation, r.ok(), r.meanMicros() / dilation,
                    r.p99Micros() / dilation);
        }, rule, allowance);
        progress.accept(String.format(Locale.ROOT, "%s: at the operating point, %.0f/s", name, operating));
        LoadReport op = warm.openLoop(target, Arrivals.constant(operating / dilation),
                lasting(operating / dilation, MIN_OPERATING_REQUESTS));
        return new Side(knee.throughput(), knee.offeredRate(), knee.baselineMeanMicros(), op.meanMicros() / dilation,
                op.p99Micros() / dilation, op.ok(), knee.steps());
    }

    /** The step's real duration, or longer if {@code realRate} would send fewer than {@code requests} in it. */
    private Duration lasting(double realRate, int requests) {
        Duration least = Duration.ofMillis((long) Math.ceil(requests / realRate * 1000));
        return least.compareTo(settings.step()) > 0 ? least : settings.step();
    }

    /**
     * After a step past the knee the nodes' cores are still booked for the backlog (requests the client gave up on
     * included): waits until the backlog the step built up is worked off, so that the next step starts independent.
     */
    private static void drain(LoadReport r) throws InterruptedException {
        double served = Math.max(r.throughput(), 1e-9);
        double backlogSeconds = r.durationSeconds() * Math.max(0, r.offeredRate() / served - 1);
        if (backlogSeconds > 0.01) {
            Thread.sleep(Math.round(Math.min(backlogSeconds, 60) * 1000) + 500);
        }
    }

    private static double relative(double emulated, double simulated) {
        return Math.abs(emulated - simulated) / Math.max(Math.abs(emulated), 1e-12);
    }
}
