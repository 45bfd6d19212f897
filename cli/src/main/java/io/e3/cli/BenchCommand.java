package io.e3.cli;

import io.e3.model.app.AppSpec;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.placement.ClusterSnapshot;
import io.e3.placement.PlacementBenchmark;
import io.e3.placement.PlacementRequest;
import io.e3.placement.PlacementStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code e3 bench}: benchmarks that print measured figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print measured figures.",
        subcommands = {BenchCommand.Placement.class, BenchCommand.Quality.class, MicroserviceBenchCommand.class,
                GovernorBenchCommand.class, OrchestratorBenchCommand.class})
final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to benchmark: placement, quality or microservices");
    }

    @Command(name = "placement", mixinStandardHelpOptions = true,
            description = {
                    "Deployment time at scale (§5.6.6, Table 5.6): MICROSERVICES instances, copies of the 8 example "
                            + "apps of Table 5.3, placed app by app onto FatTrees of Type2-SmartNIC servers with 40 "
                            + "servers per rack, for each server count and algorithm.",
                    "One warm-up run on the smallest cluster comes first and is not reported. Progress goes to "
                            + "stderr."})
    static final class Placement implements java.util.concurrent.Callable<Integer> {

        @Option(names = "--servers", split = ",", paramLabel = "N[,N...]",
                defaultValue = "100,200,400,600,800,1000", description = "Cluster sizes (default: ${DEFAULT-VALUE}).")
        List<Integer> servers;

        @Option(names = "--microservices", paramLabel = "N", defaultValue = "10000",
                description = "Instances to deploy on each cluster (default: ${DEFAULT-VALUE}).")
        int microservices;

        @Option(names = "--algorithms", split = ",", paramLabel = "NAME[,NAME...]", defaultValue = "hcm",
                description = "Strategies to run (default: ${DEFAULT-VALUE}; known: ${COMPLETION-CANDIDATES}).",
                completionCandidates = PlaceCommand.Algorithms.class)
        List<String> algorithms;

        @Option(names = "--time-limit", paramLabel = "DURATION", defaultValue = "1s",
                converter = DurationConverter.class,
                description = "Time limit per app for search-based strategies (default: ${DEFAULT-VALUE}).")
        Duration timeLimit;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                description = "table or json (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws ManifestException {
            List<String> problems = new ArrayList<>();
            servers.stream().filter(s -> s < 1 || s > 100_000).forEach(s ->
                    problems.add("--servers: " + s + " is out of range [1, 100000]"));
            if (microservices < 1 || microservices > 1_000_000) {
                problems.add("--microservices: " + microservices + " is out of range [1, 1000000]");
            }
            if (!problems.isEmpty()) {
                throw new BadInputException(problems);
            }
            List<PlacementStrategy> strategies = Strategies.resolve("--algorithms", algorithms);
            PlacementBenchmark bench = new PlacementBenchmark(templates());
            List<AppSpec> workload = bench.workload(microservices);
            PrintWriter err = spec.commandLine().getErr();
            ProgressLine progress = new ProgressLine(err);
            int smallest = servers.stream().min(Integer::compare).orElseThrow();
            for (PlacementStrategy s : strategies) {
                progress.accept("warm-up: " + s.name());
                bench.run(s, PlacementBenchmark.cluster(smallest), workload, timeLimit, m -> { });
            }
            List<PlacementBenchmark.Row> rows = new ArrayList<>();
            for (int size : servers) {
                Cluster cluster = PlacementBenchmark.cluster(size);
                for (PlacementStrategy s : strategies) {
                    rows.add(bench.run(s, cluster, workload, timeLimit, progress));
                }
            }
            progress.done();
            PrintWriter out = spec.commandLine().getOut();
            if (output == OutputFormat.json) {
                OutputFormat.printJson(out, rows);
            } else {
                TextTable table = new TextTable("ALGORITHM", "SERVERS", "MICROSERVICES", "PLACED", "TOTAL",
                        "PER MICROSERVICE", "COMMUNICATION COST");
                rows.forEach(r -> table.row(r.algorithm(), r.servers(), r.microservices(), r.placed(),
                        String.format(Locale.ROOT, "%.1f ms", r.totalMillis()),
                        String.format(Locale.ROOT, "%.4f ms", r.perMicroserviceMillis()),
                        String.format(Locale.ROOT, "%.2f", r.communicationCost())));
                table.print(out, "");
                rows.stream().filter(r -> r.firstUnplacedReason() != null).forEach(r -> out.println(r.algorithm()
                        + " on " + r.servers() + " servers left " + (r.microservices() - r.placed())
                        + " unplaced; the first because: " + r.firstUnplacedReason()));
            }
            return ExitCodes.OK;
        }

        static List<AppSpec> templates() throws ManifestException {
            List<AppSpec> apps = new ArrayList<>();
            for (String name : List.of("nfv-fin", "nfv-din", "nfv-ifid", "rta-ptc", "rta-sf", "rta-shm", "iot-dh",
                    "iot-ts")) {
                apps.add(((AppManifest) ManifestSources.example("apps/" + name + ".yaml").get(0)).app());
            }
            return apps;
        }
    }

    @Command(name = "quality", mixinStandardHelpOptions = true,
            description = {
                    "Placement quality (§5.6.4): each example app of Table 5.3 placed alone on a cluster by each "
                            + "algorithm; communication cost, load spread and, for the ILPs, whether optimality was "
                            + "proved and the gap to the solver's bound.",
                    "ilp minimises the Service Fabric objective (spread load, then communication); ilp-comm "
                            + "minimises communication alone, the optimum HCM is measured against."})
    static final class Quality implements java.util.concurrent.Callable<Integer> {

        @Option(names = "--cluster", paramLabel = "FILE",
                description = "Cluster manifest (default: the built-in examples/clusters/3x-type1-smartnic.yaml).")
        String clusterFile;

        @Option(names = "--algorithms", split = ",", paramLabel = "NAME[,NAME...]",
                defaultValue = "hcm,annealing,ilp,ilp-comm",
                description = "Strategies to compare (default: ${DEFAULT-VALUE}).")
        List<String> algorithms;

        @Option(names = "--time-limit", paramLabel = "DURATION", defaultValue = "30s",
                converter = DurationConverter.class,
                description = "Time limit per app for search-based strategies (default: ${DEFAULT-VALUE}).")
        Duration timeLimit;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                description = "table or json (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** One app placed by one algorithm. */
        record Row(String app, String algorithm, int instances, int placed, double communicationCost,
                   double maxUtilisation, double elapsedMillis, Double ilpOptimal, Double ilpGap) {
        }

        @Override
        public Integer call() throws ManifestException {
            List<PlacementStrategy> strategies = Strategies.resolve("--algorithms", algorithms);
            Cluster cluster = ManifestSources.first(ClusterManifest.class, ClusterManifest.KIND, clusterFile,
                    DemoCommand.DEFAULT_CLUSTER, E3Command.stdin(spec)).cluster();
            ProgressLine progress = new ProgressLine(spec.commandLine().getErr());
            List<Row> rows = new ArrayList<>();
            for (AppSpec app : Placement.templates()) {
                for (PlacementStrategy s : strategies) {
                    progress.accept(app.name() + ": " + s.name());
                    PlacementResult r = s.place(new PlacementRequest(cluster,
                            ClusterSnapshot.EMPTY, app, 0, timeLimit));
                    Map<String, Double> m = r.metrics();
                    rows.add(new Row(app.name(), s.name(), app.instanceCount(), r.assignments().size(),
                            m.get("communicationCost"), m.get("maxUtilisation"), m.get("elapsedMillis"),
                            m.get("ilpOptimal"), m.get("ilpGap")));
                }
            }
            progress.done();
            PrintWriter out = spec.commandLine().getOut();
            if (output == OutputFormat.json) {
                OutputFormat.printJson(out, rows);
            } else {
                TextTable table = new TextTable("APP", "ALGORITHM", "PLACED", "COMMUNICATION COST", "MAX UTILISATION",
                        "ELAPSED", "OPTIMAL", "GAP");
                rows.forEach(r -> table.row(r.app(), r.algorithm(), r.placed() + "/" + r.instances(),
                        String.format(Locale.ROOT, "%.3f", r.communicationCost()),
                        String.format(Locale.ROOT, "%.0f %%", r.maxUtilisation() * 100),
                        String.format(Locale.ROOT, "%.0f ms", r.elapsedMillis()),
                        r.ilpOptimal() == null ? "-" : r.ilpOptimal() == 1.0 ? "yes" : "no",
                        r.ilpGap() == null || r.ilpGap().isNaN() ? "-"
                                : String.format(Locale.ROOT, "%.1f %%", r.ilpGap() * 100)));
                table.print(out, "");
            }
            return ExitCodes.OK;
        }
    }
}
