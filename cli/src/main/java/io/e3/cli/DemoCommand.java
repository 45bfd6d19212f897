package io.e3.cli;

import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.placement.PlacementResult;
import io.e3.placement.PlacementRequest;
import io.e3.placement.hcm.HcmStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code e3 demo}: the main job on the embedded default cluster. It starts an emulated 3xType1-SmartNIC cluster and a
 * controller, applies IOT-TS, drives an open-loop load through its entry service, overloads one of the app's own
 * instances that HCM put on a SmartNIC, lets the orchestrator detect it and migrate an instance to a host, and prints a
 * summary. While it runs, the controller's web dashboard shows it live; its URL goes to stderr once the controller
 * answers.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
                "Run the main job: an emulated cluster (default 3x Type1-SmartNIC, §5.6.1) and a controller, the IoT "
                        + "thermostat app (IOT-TS, Figure 5.1) applied, placed by energy-aware HCM and loaded through "
                        + "its entry service by the load generator of e3 load (an open loop at --rate, Poisson "
                        + "arrivals); after a third of the run, one of the app's own primaries on a SmartNIC "
                        + "(of the slowest type per SmartNIC core that the orchestrator can measure) is overloaded on "
                        + "purpose with requests sent to it directly; the orchestrator detects the overload from "
                        + "heartbeats and migrates the instance it picks on that SmartNIC to a host, live. If "
                        + "placement put no primary of the app on a SmartNIC, the overload step is skipped and the "
                        + "demo says so.",
                "The summary: the placement after the run (instances per node, from the controller), app requests "
                        + "(sent through the entry service: served, failed, unanswered), the overload requests "
                        + "(sent straight to one instance: never counted as app requests), lost requests (of either "
                        + "kind, not served), throughput and p50/p99 latency of the served app requests (from each "
                        + "request's intended send time, so that requests a migration holds count as held), modelled "
                        + "power and requests per joule, and every migration with its status (SUCCEEDED, or "
                        + "ROLLED_BACK with the reason). The exit code is 0 when no request was lost.",
                "Throughput and latency are in emulated time (real figures times or over the dilation D). Power and "
                        + "energy are modelled by the energy model (Tables 5.1 and 5.4), not measured. The figures "
                        + "cover the window from the first app request to the last app answer: powerWatts is the "
                        + "whole cluster's modelled energy over its emulated seconds, requestsPerJoule the served app "
                        + "requests over that energy (the energy of the overload traffic included). "
                        + "A request not answered within a minute of being sent is unanswered. "
                        + "--json prints the same as one document (offeredRps, appRequests, servedRequests, "
                        + "failedRequests, "
                        + "unansweredRequests, overload, lostRequests, migrations with their status, "
                        + "placementBefore and placementAfter). --plan-only just validates and places, without "
                        + "running anything.",
                "The demo's controller declares a node down after 2 s without heartbeats (500 ms by default): the "
                        + "emulated nodes all run in this process, and their heartbeats can stall for over half a "
                        + "second while the app is deployed on a busy machine."})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    static final String DEFAULT_CLUSTER = "clusters/3x-type1-smartnic.yaml";
    static final String DEFAULT_APP = "apps/iot-ts.yaml";

    @Option(names = "--cluster", paramLabel = "FILE",
            description = "A cluster manifest instead of the built-in examples/" + DEFAULT_CLUSTER + ".")
    String clusterFile;

    @Option(names = "--app", paramLabel = "FILE",
            description = "An app manifest instead of the built-in examples/" + DEFAULT_APP + ".")
    String appFile;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to drive load (default: ${DEFAULT-VALUE}); the overload starts after a third.")
    java.time.Duration duration;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "2000",
            description = "The app's load: requests per emulated second through its entry service, an open loop with "
                    + "Poisson arrivals (R/D per real second; default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--dilation", paramLabel = "D", defaultValue = "100",
            description = "Time dilation D of the emulated cluster (default: ${DEFAULT-VALUE}).")
    double dilation;

    @CommandLine.Mixin
    AddressBlockOption block;

    @Option(names = "--json", description = "Print the summary as one JSON document.")
    boolean json;

    @Option(names = "--plan-only", description = "Only validate both manifests and show the HCM placement.")
    boolean planOnly;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws ManifestException, java.io.IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ClusterManifest cluster = ManifestSources.first(ClusterManifest.class, ClusterManifest.KIND, clusterFile,
                DEFAULT_CLUSTER, E3Command.stdin(spec));
        AppManifest app = ManifestSources.first(AppManifest.class, AppManifest.KIND, appFile, DEFAULT_APP,
                E3Command.stdin(spec));
        if (planOnly) {
            out.println("E3 demo: " + app.name() + " on " + cluster.name());
            out.println("Both manifests are valid.");
            out.println();
            ClusterReport.of(cluster.cluster(), cluster.origin()).print(out);
            out.println();
            AppReport.of(app.app(), app.origin()).print(out);
            out.println();
            PlacementResult placed = new HcmStrategy().place(PlacementRequest.of(cluster.cluster(), app.app()));
            PlacementReport.of(cluster.cluster(), List.of(app.app()), List.of(placed)).print(out);
            return ExitCodes.OK;
        }
        List<String> problems = new java.util.ArrayList<>();
        if (!(dilation >= 1) || Double.isInfinite(dilation)) {
            problems.add("--dilation: must be a number >= 1, got " + dilation);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            problems.add("--rate: must be a number more than 0, got " + rate);
        }
        block.check(problems);
        if (duration.toSeconds() < 6) {
            problems.add("--duration: at least 6s, so that there is a steady phase, an overload and a recovery");
        }
        java.nio.file.Path jar = ControllerCommand.builtControllerJar(problems);
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        PrintWriter err = spec.commandLine().getErr();
        ProgressLine progress = new ProgressLine(err);
        DemoSummary s = LiveDemo.run(materialize(clusterFile, DEFAULT_CLUSTER), cluster,
                materialize(appFile, DEFAULT_APP), app, duration, rate, block.block(), dilation, jar, progress,
                line -> {
                    progress.done();
                    err.println(line);
                    err.flush();
                });
        progress.done();
        if (json) {
            OutputFormat.printJson(out, s);
        } else {
            s.print(out);
        }
        return s.lostRequests() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** {@code file}, or the built-in example copied to a temporary file (the controller reads a file). */
    static java.nio.file.Path materialize(String file, String example) throws java.io.IOException {
        if (file != null && !file.equals("-")) {
            return java.nio.file.Path.of(file);
        }
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile("e3-demo-", ".yaml");
        tmp.toFile().deleteOnExit();
        try (java.io.InputStream in = DemoCommand.class.getResourceAsStream("/examples/" + example)) {
            java.nio.file.Files.write(tmp, in.readAllBytes());
        }
        return tmp;
    }
}
