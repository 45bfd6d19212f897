package io.e3.cli;

import io.e3.model.app.AppSpec;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.placement.PlacementResult;
import io.e3.placement.ClusterSnapshot;
import io.e3.placement.PlacementRequest;
import io.e3.placement.PlacementStrategy;
import io.e3.placement.strategies.PlacementStrategies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code e3 place}: places apps on a cluster, in order, and shows where every instance went. */
@Command(name = "place", mixinStandardHelpOptions = true,
        description = {
                "Place apps on a cluster without running them. Apps are placed in the order given and each sees the "
                        + "reservations of the ones before it.",
                "-o json prints one self-describing document: nodes with capacity, instances with their node and "
                        + "reserved demand, edges, unplaced instances with reasons, and metrics."})
final class PlaceCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--cluster", required = true, paramLabel = "FILE", description = "The cluster manifest.")
    String clusterFile;

    @Option(names = "--app", required = true, arity = "1..*", paramLabel = "FILE",
            description = "App manifests, placed in this order.")
    List<String> appFiles = new ArrayList<>();

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "hcm",
            description = "Placement strategy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = Algorithms.class)
    String algorithm;

    /** Which nodes HCM looks at first. */
    enum Prefer { energy, hosts }

    @Option(names = "--prefer", paramLabel = "energy|hosts", defaultValue = "energy",
            description = "For hcm: energy looks first at the kind of core with the lowest modelled energy per "
                    + "request (Table 5.1); hosts keeps the chapter's order, the host first on each server (the same "
                    + "as --algorithm hcm-hosts) (default: ${DEFAULT-VALUE}).")
    Prefer prefer;

    @CommandLine.Mixin
    OutputOption output;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed for strategies that make random choices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--time-limit", paramLabel = "DURATION", defaultValue = "10s",
            description = "Time limit per app for search-based strategies, e.g. 500ms, 10s, 2m "
                    + "(default: ${DEFAULT-VALUE}).", converter = DurationConverter.class)
    Duration timeLimit;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The names of the placement strategies, for help and completion. */
    static final class Algorithms implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return PlacementStrategies.names().iterator();
        }
    }

    @Override
    public Integer call() throws ManifestException {
        if (prefer == Prefer.hosts && !algorithm.startsWith("hcm")) {
            throw new BadInputException("--prefer: only hcm has a node preference; --algorithm is " + algorithm);
        }
        String name = prefer == Prefer.hosts && algorithm.equals("hcm") ? "hcm-hosts" : algorithm;
        PlacementStrategy strategy = Strategies.resolve("--algorithm", List.of(name)).get(0);
        ClusterManifest cluster = ManifestSources.only(ClusterManifest.class, ClusterManifest.KIND,
                ManifestSources.load(clusterFile, E3Command.stdin(spec)), List.of(clusterFile)).get(0);
        List<AppSpec> apps = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (AppManifest m : ManifestSources.only(AppManifest.class, AppManifest.KIND,
                ManifestSources.load(appFiles, E3Command.stdin(spec)), appFiles)) {
            if (!names.add(m.name())) {
                throw new BadInputException(m.origin() + ": app '" + m.name() + "' is given twice; app names must be "
                        + "unique in a cluster");
            }
            apps.add(m.app());
        }
        List<PlacementResult> results = new ArrayList<>();
        ClusterSnapshot snapshot = ClusterSnapshot.EMPTY;
        for (AppSpec app : apps) {
            PlacementResult r = strategy.place(new PlacementRequest(cluster.cluster(), snapshot, app, seed,
                    timeLimit));
            results.add(r);
            snapshot = snapshot.with(cluster.cluster(), app, r);
        }
        PlacementReport report = PlacementReport.of(cluster.cluster(), apps, results);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            OutputFormat.printJson(out, report);
        } else {
            report.print(out);
        }
        return ExitCodes.OK;
    }
}
