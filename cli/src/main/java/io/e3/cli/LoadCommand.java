package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.AppClient;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.rpc.RpcSettings;
import io.e3.loadtest.Arrivals;
import io.e3.loadtest.KneeSearch;
import io.e3.loadtest.LoadGenerator;
import io.e3.loadtest.LoadReport;
import io.e3.loadtest.RequestTarget;
import io.e3.model.manifest.AppManifest;
import io.e3.model.perf.Knee;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Manifests;
import io.e3.model.topology.AddressPlan;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code e3 load}: drives a running app with an open- or closed-loop load (docs/load.md). */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Load a running app through its entry service, as clients would: open loop at a rate "
                + "(constant or Poisson; latency counted from each request's intended send time, so a stall shows "
                + "in the tail instead of slowing the sender), closed loop with N requests outstanding, or --knee, "
                + "which steps the rate to find the knee of the latency-throughput curve (§5.3.3).",
                "A request is served when the entry answers OK and no stage below it failed; latencies are real "
                        + "time on this machine. The first --warmup of load, of the same shape, is not measured. "
                        + "Progress goes to stderr; the report to stdout (-o json for the document, docs/load.md)."},
        footer = {"", ControllerOptions.FOOTER, "", "Examples:",
                "  e3 load --app iot-ts --rate 500 --duration 20s",
                "  e3 load --app nfv-fin --closed 16 --duration 10s -o json",
                "  e3 load --app nfv-fin --knee"})
final class LoadCommand implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    LoadShape mode;

    @Option(names = "--app", required = true, paramLabel = "NAME", description = "The running app to load.")
    String app;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to send, or each knee step (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--arrivals", paramLabel = "constant|poisson", defaultValue = "poisson",
            description = "Open-loop arrival process (default: ${DEFAULT-VALUE}).")
    String arrivals;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "A request not answered by then counts as a timeout (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "2s",
            converter = DurationConverter.OrZero.class,
            description = "Load of the same shape sent first and not measured, so that the client's own start (JIT "
                    + "compilation, first contacts) is not taken for the app's latency; 0s for none (default: "
                    + "${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--start-rate", paramLabel = "R", defaultValue = "100",
            description = "--knee: the first step's rate (default: ${DEFAULT-VALUE}).")
    double startRate;

    @Option(names = "--service", paramLabel = "NAME", description = "Entry service to send to. Default: the first.")
    String service;

    @Option(names = "--cluster", paramLabel = "FILE",
            description = "The manifest of the controller's cluster, for the agents' addresses (default: the "
                    + "built-in examples/" + DemoCommand.DEFAULT_CLUSTER + "); checked against the controller's.")
    String clusterFile;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Poisson seed (default: 1).")
    long seed;

    @CommandLine.Mixin
    OutputOption output;

    @CommandLine.Mixin
    ControllerOptions controller;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws ManifestException, InterruptedException {
        checkOptions();
        ControllerClient api = controller.connect(spec);
        String entry = entryService(api);
        AddressPlan plan = plan(api);
        RoutesCache routes = RoutesCache.of(api, app, plan);
        routes.get(); // fails now if the controller has no usable table, rather than every request
        Vertx vertx = EmbeddedCluster.newVertx();
        ProgressLine progress = new ProgressLine(spec.commandLine().getErr());
        AppClient client = null;
        try {
            client = bind(vertx, plan);
            if (!warmup.isZero()) {
                warmUp(generator(progress, "warming up, not measured: "),
                        new AppTarget(client, routes, entry, "warmup-"));
            }
            Object result = run(generator(progress, ""), new AppTarget(client, routes, entry, "load-"));
            progress.done();
            print(spec.commandLine().getOut(), result);
            return ExitCodes.OK;
        } finally {
            progress.done();
            close(vertx, client);
        }
    }

    /** The entry service to load: --service, checked against the app's manifest, or the app's first. */
    private String entryService(ControllerClient api) {
        JsonNode view = ControllerClient.require(api.get("/v1/apps/" + ControllerClient.segment(app)), 200);
        if (!view.path("phase").asText().equals("RUNNING")) {
            throw new FailureException("app '" + app + "' is " + view.path("phase").asText() + ", not RUNNING");
        }
        AppManifest manifest;
        try {
            manifest = (AppManifest) Manifests.parse(view.path("manifest").asText(), app + " (controller)").get(0);
        } catch (ManifestException | ClassCastException | IndexOutOfBoundsException e) {
            throw new FailureException("the controller's manifest of " + app + " is not an app manifest: "
                    + e.getMessage());
        }
        String entry = service != null ? service : manifest.app().entry().get(0);
        if (!manifest.app().entry().contains(entry)) {
            throw new BadInputException("--service: '" + entry + "' is not an entry service of " + app
                    + "; entries: " + String.join(", ", manifest.app().entry()));
        }
        return entry;
    }

    private LoadGenerator generator(ProgressLine progress, String prefix) {
        return LoadGenerator.builder().timeout(timeout)
                .progressListener(p -> progress.accept(String.format(Locale.ROOT,
                        "%s%.0f s: %d sent, %d answered, %.0f requests/s, p99 of the last second %s", prefix,
                        p.elapsedSeconds(), p.sent(), p.answered(), p.achievedRate(),
                        Units.micros(p.intervalP99Micros()))))
                .build();
    }

    /** The warm-up: the run's shape (a knee search's first rate) for --warmup; its report is dropped. */
    private void warmUp(LoadGenerator generator, RequestTarget target) {
        if (mode.outstanding != null) {
            generator.closedLoop(target, mode.outstanding, warmup);
        } else {
            generator.openLoop(target, arrivals(mode.knee ? startRate : mode.rate), warmup);
        }
    }

    /** The measured load: a {@link LoadReport}, or for --knee a {@link KneeSearch.Result}. */
    private Object run(LoadGenerator generator, RequestTarget target) {
        if (mode.knee) {
            return new KneeSearch(generator, Knee.Rule.from(startRate), duration).search(target);
        }
        return mode.outstanding != null ? generator.closedLoop(target, mode.outstanding, duration)
                : generator.openLoop(target, arrivals(mode.rate), duration);
    }

    private void print(PrintWriter out, Object result) {
        if (output.json()) {
            OutputFormat.printJson(out, result);
        } else if (result instanceof KneeSearch.Result knee) {
            printSteps(out, knee.steps());
            out.println(knee.message());
        } else {
            LoadReport report = (LoadReport) result;
            printSteps(out, List.of(report));
            out.println(report.message());
        }
    }

    /**
     * Stops the client, then Vert.x. The client first: retransmissions it still has pending must not fire on a closed
     * Vert.x, which prints a stack trace.
     */
    private static void close(Vertx vertx, AppClient client) throws InterruptedException {
        if (client != null) {
            awaitQuietly(client.stop());
        }
        awaitQuietly(vertx.close());
    }

    /** The report is out by then: a slow close of a socket changes nothing the user needs. */
    private static void awaitQuietly(Future<Void> closing) throws InterruptedException {
        try {
            closing.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // nothing to do: see above
        }
    }

    /** Durations need no check here: {@link DurationConverter} refuses anything but a positive one. */
    private void checkOptions() {
        mode.check(10_000_000, 100_000);
        if (mode.knee && !(startRate > 0)) {
            throw new BadInputException("--start-rate: must be more than 0, got " + startRate);
        }
        arrivals(1); // checks --arrivals before anything is contacted
    }

    private Arrivals arrivals(double rate) {
        return switch (arrivals.toLowerCase(Locale.ROOT)) {
            case "poisson" -> Arrivals.poisson(rate, seed);
            case "constant" -> Arrivals.constant(rate);
            default -> throw new BadInputException("--arrivals: '" + arrivals + "' is neither constant nor poisson");
        };
    }

    /** The agents' addresses: the cluster manifest, checked against what the controller runs. */
    private AddressPlan plan(ControllerClient api) throws ManifestException {
        JsonNode running = ControllerClient.require(api.get("/v1/cluster"), 200);
        ClusterManifest m = ManifestSources.first(ClusterManifest.class, ClusterManifest.KIND, clusterFile,
                DemoCommand.DEFAULT_CLUSTER, E3Command.stdin(spec));
        if (!m.cluster().name().equals(running.path("name").asText())
                || m.cluster().nodes().size() != running.path("nodes").asInt()) {
            throw new BadInputException("--cluster: the controller runs cluster '" + running.path("name").asText()
                    + "' (" + running.path("nodes").asInt() + " nodes), not '" + m.cluster().name() + "' ("
                    + m.cluster().nodes().size() + " nodes); give its manifest with --cluster");
        }
        String block = running.path("addressBlock").asText();
        String[] octets = block.split("[./]");
        if (octets.length < 2) {
            throw new FailureException("the controller gave no usable address block: '" + block + "'");
        }
        return AddressPlan.of(m.cluster(), Integer.parseInt(octets[1]));
    }

    /** A client address of the cluster's block that is free: load generators may run side by side. */
    static AppClient bind(Vertx vertx, AddressPlan plan) throws InterruptedException {
        Exception last = null;
        for (int n = 2; n < 32; n++) { // 0 and 1: the demo's clients
            try {
                return AppClient.start(vertx, plan, n, RpcSettings.DEFAULT).toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                last = e;
            }
        }
        throw new FailureException("no free client address in " + plan.block() + ": " + last.getMessage());
    }

    private static void printSteps(PrintWriter out, List<LoadReport> steps) {
        TextTable t = new TextTable("MODE", "OFFERED", "SENT/S", "THROUGHPUT", "OK", "ERRORS", "TIMEOUTS", "MEAN",
                "P50", "P90", "P99", "P99.9", "MAX");
        for (LoadReport r : steps) {
            t.row(r.mode() == LoadReport.Mode.OPEN_LOOP ? "open" : "closed " + r.outstanding(),
                    r.mode() == LoadReport.Mode.OPEN_LOOP ? String.format(Locale.ROOT, "%.0f/s", r.offeredRate())
                            : "-", String.format(Locale.ROOT, "%.0f", r.achievedSendRate()),
                    String.format(Locale.ROOT, "%.0f/s", r.throughput()), r.ok(), r.errors(), r.timeouts(),
                    Units.micros(r.meanMicros()), Units.micros(r.p50Micros()), Units.micros(r.p90Micros()),
                    Units.micros(r.p99Micros()), Units.micros(r.p999Micros()), Units.micros(r.maxMicros()));
        }
        t.print(out, "");
    }
}
