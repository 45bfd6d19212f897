package io.e3.cli;

import io.e3.model.app.AppSpec;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ServerType;
import io.e3.model.topology.ServerTypes;
import io.e3.simulator.ClientModel;
import io.e3.model.perf.Knee;
import io.e3.simulator.KneeSearch;
import io.e3.simulator.NodeFailure;
import io.e3.simulator.Progress;
import io.e3.simulator.ProgressListener;
import io.e3.simulator.Scenario;
import io.e3.simulator.SimulationConfig;
import io.e3.simulator.SimulationResult;
import io.e3.simulator.Simulator;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code e3 simulate}: the discrete-event simulation of a cluster running apps (docs/simulator.md). */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulate a cluster running apps: placement by the same strategies as the controller, the "
                + "same orchestrator decisions fed simulated heartbeats, service times from Table 5.1, queueing per "
                + "node, link latencies by hop and ECMP over SmartNIC ports (docs/simulator.md). Reports throughput, "
                + "latency percentiles, modelled power and requests per joule, migrations and failovers; "
                + "deterministic for a seed.",
                "--knee steps the offered rate and reports the throughput at the knee of the latency-throughput "
                        + "curve (§5.3.3). Progress goes to stderr."},
        footer = {"", "Examples:",
                "  e3 simulate --cluster examples/clusters/3x-type1-smartnic.yaml --app examples/apps/iot-ts.yaml "
                        + "--rate 20000",
                "  e3 simulate --fattree 1000 --app examples/apps/nfv-fin.yaml --knee -o json"})
final class SimulateCommand implements Callable<Integer> {

    /** Where the cluster comes from: a manifest or a generated FatTree. */
    static final class ClusterSource {
        @Option(names = "--cluster", paramLabel = "FILE", description = "The cluster manifest.")
        String file;

        @Option(names = "--fattree", paramLabel = "SERVERS",
                description = "A generated FatTree of this many servers (40 per rack, 8 racks per pod).")
        Integer servers;
    }

    @ArgGroup(multiplicity = "0..1")
    ClusterSource cluster;

    @ArgGroup(multiplicity = "0..1")
    LoadShape load;

    @Option(names = "--app", arity = "1..*", paramLabel = "FILE",
            description = "App manifests, placed in this order (--validate: default the built-in nfv-fin, rta-shm "
                    + "and iot-ts).")
    List<String> appFiles;

    @Option(names = "--validate", description = "Cross-validate: run each app on the emulated cluster (node agents "
            + "and the controller, in this process and a child) and in the simulator, and print the knee throughput, "
            + "mean and p99 latency side by side (default cluster: the built-in examples/"
            + DemoCommand.DEFAULT_CLUSTER + "). Exit code 1 if any app is outside the tolerances.")
    boolean validate;

    @Option(names = "--real-rate", paramLabel = "R", defaultValue = "150",
            description = "--validate: upper bound on the real requests per second of the emulated knee: the dilation "
                    + "is at least the simulated knee over R, more if the app's simulated low-load latency needs it "
                    + "(docs/simulator.md) (default: ${DEFAULT-VALUE}).")
    double realRate;

    @Option(names = "--step", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "--validate: real time of each emulated knee step (default: ${DEFAULT-VALUE}).")
    Duration step;

    @Option(names = "--refinements", paramLabel = "N", defaultValue = "5",
            description = "--validate: bisections of the emulated knee search; the simulator's makes "
                    + CrossValidation.SIMULATED_REFINEMENTS + " (default: ${DEFAULT-VALUE}).")
    int refinements;

    @Option(names = "--address-block", paramLabel = "B", defaultValue = "43",
            description = "--validate: the emulated cluster's loopback block 127.B.0.0/16 (default: "
                    + "${DEFAULT-VALUE}).")
    int block;

    @Option(names = "--server-type", paramLabel = "NAME", defaultValue = "Type2-SmartNIC",
            description = "Server type of a --fattree cluster (default: ${DEFAULT-VALUE}).")
    String serverType;

    @Option(names = "--arrivals", paramLabel = "constant|poisson", defaultValue = "poisson",
            description = "Open-loop arrival process (default: ${DEFAULT-VALUE}).")
    String arrivals;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Simulated time measured, after the warm-up (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "Simulated time before measuring (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Random seed (default: 1).")
    long seed;

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "hcm",
            description = "Placement strategy (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--fail", paramLabel = "NODE@SECONDS",
            description = "Fail a node at a simulated time, e.g. s1/host@5 (repeatable).")
    List<String> failures = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws ManifestException, java.io.IOException, InterruptedException {
        if (validate) {
            return crossValidate();
        }
        List<String> missing = new ArrayList<>();
        if (cluster == null) {
            missing.add("--cluster or --fattree");
        }
        if (load == null) {
            missing.add("--rate, --closed or --knee");
        }
        if (appFiles == null) {
            missing.add("--app");
        }
        if (!missing.isEmpty()) {
            throw new BadInputException("missing " + String.join(", ", missing) + " (or --validate)");
        }
        Scenario scenario = Scenario.of(cluster(), apps());
        SimulationConfig config;
        try {
            SimulationConfig.Builder b = SimulationConfig.builder().client(client())
                    .durationSeconds(seconds(duration) + seconds(warmup)).warmupSeconds(seconds(warmup))
                    .seed(seed).placement(algorithm);
            for (String f : failures) {
                b.failure(failure(f));
            }
            config = b.build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        ProgressLine progress = new ProgressLine(spec.commandLine().getErr());
        progress.accept("placing " + scenario.apps().size() + " app(s) with " + algorithm);
        Simulator simulator;
        try {
            simulator = Simulator.place(scenario, config);
        } catch (IllegalArgumentException e) {
            progress.done();
            throw new BadInputException(e.getMessage());
        }
        ProgressListener listener = p -> progress.accept(describe(p));
        PrintWriter out = spec.commandLine().getOut();
        if (load.knee) {
            Knee.Result knee = KneeSearch.find(simulator, KneeSearch.Settings.from(startRate(scenario)),
                    listener);
            return emit(progress, out, knee, () -> printKnee(out, knee));
        }
        SimulationResult r = simulator.run(listener);
        return emit(progress, out, r, () -> print(out, r));
    }

    /** Ends the progress line, then prints {@code document} as JSON or, as a table, with {@code table}. */
    private int emit(ProgressLine progress, PrintWriter out, Object document, Runnable table) {
        progress.done();
        if (output == OutputFormat.json) {
            OutputFormat.printJson(out, document);
        } else {
            table.run();
        }
        return ExitCodes.OK;
    }

    /** The built-in cross-validation apps. */
    static final List<String> VALIDATION_APPS = List.of("apps/nfv-fin.yaml", "apps/rta-shm.yaml", "apps/iot-ts.yaml");

    private int crossValidate() throws ManifestException, java.io.IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        if (cluster != null && cluster.servers != null) {
            problems.add("--validate: needs a cluster manifest (--cluster), not --fattree");
        }
        if (load != null || !failures.isEmpty()) {
            problems.add("--validate: runs its own knee searches; drop --rate, --closed, --knee and --fail");
        }
        if (!(realRate >= 1 && realRate <= 5_000)) {
            problems.add("--real-rate: must be 1 to 5000 requests per second, got " + realRate);
        }
        if (refinements < 0 || refinements > 10) {
            problems.add("--refinements: must be 0 to 10, got " + refinements);
        }
        if (block < 1 || block > 254) {
            problems.add("--address-block: must be in [1, 254], got " + block);
        }
        java.nio.file.Path jar = ControllerCommand.builtControllerJar(problems);
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        String clusterFile = cluster == null ? null : cluster.file;
        ClusterManifest c = ManifestSources.first(ClusterManifest.class, ClusterManifest.KIND, clusterFile,
                DemoCommand.DEFAULT_CLUSTER, E3Command.stdin(spec));
        List<AppManifest> apps = new ArrayList<>();
        List<java.nio.file.Path> files = new ArrayList<>();
        for (String f : appFiles != null ? appFiles : VALIDATION_APPS) {
            String file = appFiles != null ? f : null;
            apps.add(ManifestSources.first(AppManifest.class, AppManifest.KIND, file, f, E3Command.stdin(spec)));
            files.add(DemoCommand.materialize(file, f));
        }
        ProgressLine progress = new ProgressLine(spec.commandLine().getErr());
        CrossValidation.Report report;
        try {
            report = new CrossValidation(c, DemoCommand.materialize(clusterFile, DemoCommand.DEFAULT_CLUSTER),
                    new CrossValidation.Settings(realRate, step, refinements, block, jar), progress).run(apps, files);
        } finally {
            progress.done();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output == OutputFormat.json) {
            OutputFormat.printJson(out, report);
        } else {
            printValidation(out, report);
        }
        return report.agree() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static void printValidation(PrintWriter out, CrossValidation.Report r) {
        out.printf(Locale.ROOT, "Cross-validation on %s: HCM placement, constant arrivals, orchestrator off. Emulated "
                + "figures are real ones converted to emulated time by the dilation D; all are modelled time.%n%n",
                r.cluster());
        TextTable t = new TextTable("APP", "D", "KNEE SIM", "KNEE EMU", "DIFF", "AT", "MEAN SIM", "MEAN EMU", "DIFF",
                "P99 SIM", "P99 EMU", "DIFF", "AGREE");
        for (CrossValidation.Row row : r.rows()) {
            t.row(row.app(), String.format(Locale.ROOT, "%.0f %s", row.dilation(), switch (row.dilationTerm()) {
                        case MINIMUM -> "min";
                        case KNEE -> "K";
                        case LATENCY -> "L0";
                    }),
                    String.format(Locale.ROOT, "%.0f/s", row.simulated().kneeThroughput()),
                    String.format(Locale.ROOT, "%.0f/s", row.emulated().kneeThroughput()), percent(row.kneeError()),
                    String.format(Locale.ROOT, "%.0f/s", row.operatingRate()),
                    Units.micros(row.simulated().meanMicros()), Units.micros(row.emulated().meanMicros()),
                    percent(row.meanError()), Units.micros(row.simulated().p99Micros()),
                    Units.micros(row.emulated().p99Micros()), percent(row.p99Error()), row.agrees() ? "yes" : "NO");
        }
        t.print(out, "");
        out.printf(Locale.ROOT, "%nKnee: highest constant rate with throughput >= 98 %% of it and mean latency within "
                + "25 %% of the simulator's start-rate mean above the start rate's, on both sides (docs/simulator.md)."
                + " Latencies at AT, half the simulator's knee. "
                + "Tolerances: knee and mean %.0f %%, p99 %.0f %% of the emulated figure. D = max(%.0f, K / real rate, "
                + "%.1f s / L0); the term that decided it: min, K or L0.%n",
                r.kneeAndMeanTolerance() * 100, r.p99Tolerance() * 100, CrossValidation.MIN_DILATION,
                CrossValidation.REAL_LATENCY_SECONDS);
        r.rows().stream().filter(row -> row.placementDiffers() > 0).forEach(row -> out.printf(Locale.ROOT,
                "Note: the controller placed %d instance(s) of %s elsewhere than the simulator.%n",
                row.placementDiffers(), row.app()));
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    private Cluster cluster() throws ManifestException {
        if (cluster.file != null) {
            return ManifestSources.only(ClusterManifest.class, ClusterManifest.KIND,
                    ManifestSources.load(cluster.file, E3Command.stdin(spec)), List.of(cluster.file)).get(0).cluster();
        }
        if (cluster.servers < 1 || cluster.servers > 100_000) {
            throw new BadInputException("--fattree: " + cluster.servers + " servers is out of range [1, 100000]");
        }
        ServerType type = ServerTypes.byName(serverType).orElseThrow(() -> new BadInputException(
                "--server-type: unknown server type '" + serverType + "'; known: "
                        + String.join(", ", ServerTypes.names())));
        return Scenario.fatTree(type, cluster.servers);
    }

    private List<AppSpec> apps() throws ManifestException {
        List<AppSpec> apps = new ArrayList<>();
        for (AppManifest m : ManifestSources.only(AppManifest.class, AppManifest.KIND,
                ManifestSources.load(appFiles, E3Command.stdin(spec)), appFiles)) {
            if (apps.stream().anyMatch(a -> a.name().equals(m.name()))) {
                throw new BadInputException(m.origin() + ": app '" + m.name() + "' is given twice; app names must be "
                        + "unique");
            }
            apps.add(m.app());
        }
        return apps;
    }

    private ClientModel client() {
        load.check(1e9, 10_000_000);
        if (load.outstanding != null) {
            return ClientModel.closed(load.outstanding);
        }
        double rate = load.rate != null ? load.rate : 1_000; // --knee: replaced step by step
        return switch (arrivals.toLowerCase(Locale.ROOT)) {
            case "poisson" -> ClientModel.poisson(rate);
            case "constant" -> ClientModel.constant(rate);
            default -> throw new BadInputException("--arrivals: '" + arrivals + "' is neither constant nor poisson");
        };
    }

    /** The knee search's first rate: --rate if given, else 100 requests per second per app. */
    private double startRate(Scenario scenario) {
        return load.rate != null ? load.rate : 100.0 * scenario.apps().size();
    }

    /** {@code d} in seconds; {@link DurationConverter} has already refused anything but a positive duration. */
    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static NodeFailure failure(String spec) {
        int at = spec.lastIndexOf('@');
        if (at <= 0 || at == spec.length() - 1) {
            throw new BadInputException("--fail: '" + spec + "' is not NODE@SECONDS, e.g. s1/host@5");
        }
        try {
            return new NodeFailure(Double.parseDouble(spec.substring(at + 1)), spec.substring(0, at));
        } catch (NumberFormatException e) {
            throw new BadInputException("--fail: '" + spec.substring(at + 1) + "' in '" + spec
                    + "' is not a number of seconds");
        }
    }

    private static String describe(Progress p) {
        return String.format(Locale.ROOT, "simulated %.1f of %.1f s, %d requests done, %.1f M events/s",
                p.simulatedSeconds(), p.durationSeconds(), p.completed(), p.eventsPerSecond() / 1e6);
    }

    private static void print(PrintWriter out, SimulationResult r) {
        SimulationResult.ScenarioSummary s = r.scenario();
        out.printf(Locale.ROOT, "Simulated %s: %d servers, %d compute nodes, %d app(s), %d instances (%d unplaced), "
                        + "placed by %s in %.0f ms%n", s.cluster(), s.servers(), s.computeNodes(), s.apps(),
                s.instances(), s.unplacedInstances(), s.placement(), s.placementMillis());
        out.printf(Locale.ROOT, "Client          %s, seed %d, %.1f s measured after %.1f s of warm-up%n",
                client(r.client()), r.seed(), r.durationSeconds() - r.warmupSeconds(), r.warmupSeconds());
        out.printf(Locale.ROOT, "Requests        %d sent, %d completed%n", r.sent(), r.completed());
        out.printf(Locale.ROOT, "Throughput      %.0f requests/s%n", r.throughput());
        SimulationResult.Latency l = r.latency();
        out.printf(Locale.ROOT, "Latency         mean %s, p50 %s, p90 %s, p99 %s, p99.9 %s, max %s%n",
                Units.micros(l.meanMicros()), Units.micros(l.p50Micros()), Units.micros(l.p90Micros()),
                Units.micros(l.p99Micros()), Units.micros(l.p999Micros()), Units.micros(l.maxMicros()));
        SimulationResult.Power w = r.power();
        out.printf(Locale.ROOT, "Power           %.1f W (%.1f W idle, %.1f W active; modelled)%n", w.totalWatts(),
                w.idleWatts(), w.activeWatts());
        out.printf(Locale.ROOT, "Efficiency      %.2f requests/J (modelled)%n", w.requestsPerJoule());
        out.printf(Locale.ROOT, "Migrations      %d; failovers %d%n", r.migrations().size(), r.failovers().size());
        r.migrations().forEach(m -> out.printf(Locale.ROOT, "  %.2f s: %s %s -> %s, %s (%s); %s of state, %d "
                        + "held%n", m.startSeconds(), m.instanceId(), m.fromNode(), m.toNode(), m.reason(), m.detail(),
                Units.memory(Math.max(1, Math.round(m.stateBytes() / 1048576.0))), m.heldRequests()));
        r.failovers().forEach(f -> out.printf(Locale.ROOT, "  %s failed at %.2f s, detected at %.2f s: %d backups "
                        + "promoted, %d replaced, %d stranded, %d requests held%n", f.nodeId(), f.failedSeconds(),
                f.detectedSeconds(), f.promoted(), f.replaced(), f.stranded(), f.heldRequests()));
        SimulationResult.EngineStats e = r.engine();
        out.printf(Locale.ROOT, "Engine          %d events in %.1f s wall, %.1f M events/s%n", e.events(),
                e.wallSeconds(), e.eventsPerSecond() / 1e6);
        TextTable busiest = new TextTable("NODE", "KIND", "INSTANCES", "UTILISATION", "ACTIVE POWER");
        r.nodes().stream().sorted((a, b) -> Double.compare(b.utilisation(), a.utilisation())).limit(10)
                .forEach(n -> busiest.row(n.id(), n.kind(), n.instances(),
                        String.format(Locale.ROOT, "%.0f %%", n.utilisation() * 100),
                        String.format(Locale.ROOT, "%.1f W", n.activeWatts())));
        out.println();
        out.println("Busiest nodes (-o json lists every node and instance):");
        busiest.print(out, "  ");
    }

    private static String client(ClientModel c) {
        return switch (c.arrivals()) {
            case CLOSED -> "closed loop, " + c.outstanding() + " outstanding";
            case CONSTANT -> String.format(Locale.ROOT, "open loop, constant %.0f requests/s", c.rate());
            case POISSON -> String.format(Locale.ROOT, "open loop, Poisson %.0f requests/s", c.rate());
        };
    }

    private static void printKnee(PrintWriter out, Knee.Result k) {
        TextTable t = new TextTable("OFFERED", "THROUGHPUT", "MEAN", "P99", "BELOW KNEE");
        k.steps().forEach(s -> t.row(String.format(Locale.ROOT, "%.0f/s", s.offeredRate()),
                String.format(Locale.ROOT, "%.0f/s", s.throughput()), Units.micros(s.meanMicros()),
                Units.micros(s.p99Micros()), s.belowKnee() ? "yes" : "no"));
        t.print(out, "");
        out.printf(Locale.ROOT, "%nKnee: %.0f requests/s at %.0f offered (mean latency within the allowance of the "
                + "low-load %s; docs/simulator.md)%n", k.throughput(), k.offeredRate(),
                Units.micros(k.baselineMeanMicros()));
    }
}
