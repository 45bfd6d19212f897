package io.e3.cli;

import io.e3.model.app.AppSpec;
import io.e3.model.app.RandomApps;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.placement.ClusterSnapshot;
import io.e3.placement.PlacementBenchmark;
import io.e3.placement.QualityBenchmark;
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
                GovernorBenchCommand.class, OrchestratorBenchCommand.class, EngineBenchCommand.Simulator.class,
                EngineBenchCommand.Generator.class})
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
                    "Each cluster is measured empty and, by default, 90 %% full (--fill). One warm-up run on the "
                            + "smallest cluster comes first and is not reported. Progress goes to stderr."})
    static final class Placement implements java.util.concurrent.Callable<Integer> {

        @Option(names = "--servers", split = ",", paramLabel = "N[,N...]",
                defaultValue = "100,200,400,600,800,1000", description = "Cluster sizes (default: ${DEFAULT-VALUE}).")
        List<Integer> servers;

        @Option(names = "--microservices", paramLabel = "N", defaultValue = "10000",
                description = "Instances to deploy on each cluster (default: ${DEFAULT-VALUE}).")
        int microservices;

        @Option(names = "--fill", split = ",", paramLabel = "F[,F...]", defaultValue = "0,0.9",
                description = "How full each cluster already is: the share of every node's cores, memory and "
                        + "bandwidth reserved before the deployment starts (default: ${DEFAULT-VALUE}).")
        List<Double> fills;

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
            fills.stream().filter(f -> !(f >= 0 && f < 1)).forEach(f ->
                    problems.add("--fill: " + f + " is out of range [0, 1)"));
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
            List<Double> rowFills = new ArrayList<>();
            for (double fill : fills) {
                for (int size : servers) {
                    Cluster cluster = PlacementBenchmark.cluster(size);
                    ClusterSnapshot start = PlacementBenchmark.filled(cluster, fill);
                    for (PlacementStrategy s : strategies) {
                        rows.add(bench.run(s, cluster, start, workload, timeLimit, progress));
                        rowFills.add(fill);
                    }
                }
            }
            progress.done();
            PrintWriter out = spec.commandLine().getOut();
            if (output == OutputFormat.json) {
                OutputFormat.printJson(out, rows);
            } else {
                TextTable table = new TextTable("ALGORITHM", "FULL BEFORE", "SERVERS", "MICROSERVICES", "PLACED",
                        "TOTAL", "PER MICROSERVICE", "COMMUNICATION COST");
                java.util.Iterator<Double> fillOf = rowFills.iterator();
                rows.forEach(r -> table.row(r.algorithm(), String.format(Locale.ROOT, "%.0f %%",
                                fillOf.next() * 100), r.servers(), r.microservices(), r.placed(),
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
                    "Placement quality (§5.6.4): each app placed alone on each cluster by each algorithm: instances "
                            + "placed and unplaced, communication cost (an unplaced end counted at the farthest "
                            + "hop), modelled power and requests per joule (Tables 5.1 and 5.4), and for the ILPs "
                            + "whether CP-SAT proved optimality.",
                    "--app and --generated replace the default apps (the 8 of Table 5.3).",
                    "Then each HCM variant against each baseline: in how many cases it placed as many instances "
                            + "and reached as many requests per joule, and its communication cost over each ILP's "
                            + "where CP-SAT proved that optimal (within 25 %, median, worst). ilp minimises the "
                            + "Service Fabric objective (spread load, then communication); ilp-comm communication "
                            + "alone; ilp-energy modelled active power, then communication. Like for like: hcm "
                            + "(energy first) against ilp-energy, hcm-hosts against ilp-comm."})
    static final class Quality implements java.util.concurrent.Callable<Integer> {

        @Option(names = "--cluster", split = ",", paramLabel = "FILE[,FILE...]",
                description = "Cluster manifests (default: the built-in examples/clusters/3x-type1-smartnic.yaml "
                        + "and 2x-type2-smartnic.yaml).")
        List<String> clusterFiles;

        @Option(names = "--app", arity = "1..*", paramLabel = "FILE",
                description = "App manifests to place (default: the 8 example apps of Table 5.3).")
        List<String> appFiles;

        @Option(names = "--generated", paramLabel = "N", defaultValue = "0",
                description = "Also place N random apps from the seeded generator (seeds 1 to N; 3 to 30 services, "
                        + "light to tight load; docs/placement.md) (default: ${DEFAULT-VALUE}).")
        int generated;

        @Option(names = "--algorithms", split = ",", paramLabel = "NAME[,NAME...]",
                defaultValue = "hcm,hcm-hosts,annealing,ilp,ilp-comm,ilp-energy",
                description = "Strategies to run; each HCM variant is compared with each of the others "
                        + "(default: ${DEFAULT-VALUE}).")
        List<String> algorithms;

        @Option(names = "--time-limit", paramLabel = "DURATION", defaultValue = "10s",
                converter = DurationConverter.class,
                description = "Time limit per app for search-based strategies (default: ${DEFAULT-VALUE}).")
        Duration timeLimit;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
                description = "table or json (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** The JSON document: every case, and each HCM variant against each baseline. */
        record Document(List<QualityBenchmark.Row> rows, List<QualityBenchmark.Comparison> comparisons) {
        }

        @Override
        public Integer call() throws ManifestException {
            List<PlacementStrategy> strategies = Strategies.resolve("--algorithms", algorithms);
            if (generated < 0 || generated > 100_000) {
                throw new BadInputException("--generated: " + generated + " is out of range [0, 100000]");
            }
            List<Cluster> clusters = new ArrayList<>();
            if (clusterFiles == null) {
                for (String name : List.of(DemoCommand.DEFAULT_CLUSTER, "clusters/2x-type2-smartnic.yaml")) {
                    clusters.add(ManifestSources.first(ClusterManifest.class, ClusterManifest.KIND, null, name,
                            E3Command.stdin(spec)).cluster());
                }
            } else {
                ManifestSources.only(ClusterManifest.class, ClusterManifest.KIND, ManifestSources.load(clusterFiles,
                        E3Command.stdin(spec)), clusterFiles).forEach(m -> clusters.add(m.cluster()));
            }
            List<AppSpec> apps = new ArrayList<>();
            if (appFiles == null && generated == 0) {
                apps.addAll(Placement.templates());
            } else if (appFiles != null) {
                ManifestSources.only(AppManifest.class, AppManifest.KIND, ManifestSources.load(appFiles,
                        E3Command.stdin(spec)), appFiles).forEach(m -> apps.add(m.app()));
            }
            RandomApps generator = new RandomApps(RandomApps.Parameters.DEFAULTS);
            for (int seed = 1; seed <= generated; seed++) {
                apps.add(generator.generate(seed));
            }
            ProgressLine progress = new ProgressLine(spec.commandLine().getErr());
            List<QualityBenchmark.Row> rows = new QualityBenchmark(strategies, timeLimit).run(clusters, apps,
                    progress);
            progress.done();
            List<QualityBenchmark.Comparison> comparisons = QualityBenchmark.compareAll(rows);
            PrintWriter out = spec.commandLine().getOut();
            if (output == OutputFormat.json) {
                OutputFormat.printJson(out, new Document(rows, comparisons));
                return ExitCodes.OK;
            }
            TextTable table = new TextTable("CLUSTER", "APP", "ALGORITHM", "PLACED", "UNPLACED", "COMMUNICATION COST",
                    "POWER", "REQUESTS/J", "MAX UTILISATION", "ELAPSED", "OPTIMAL");
            rows.forEach(r -> table.row(r.cluster(), r.app(), r.algorithm(), r.placed() + "/" + r.instances(),
                    r.unplaced(), String.format(Locale.ROOT, "%.3f", r.communicationCost()),
                    String.format(Locale.ROOT, "%.1f W", r.modelledPowerWatts()),
                    String.format(Locale.ROOT, "%.2f", r.modelledRequestsPerJoule()),
                    String.format(Locale.ROOT, "%.0f %%", r.maxUtilisation() * 100),
                    String.format(Locale.ROOT, "%.0f ms", r.elapsedMillis()),
                    r.optimal() == null ? "-" : r.optimal() ? "yes" : "no"));
            table.print(out, "");
            out.println();
            for (QualityBenchmark.Comparison c : comparisons) {
                out.printf(Locale.ROOT, "%s against %s: placed as many in %d of %d cases, as many requests/J in %d "
                        + "of %d", c.algorithm(), c.baseline(), c.placedAtLeast(), c.cases(), c.efficientAtLeast(),
                        c.cases());
                if (c.provedOptimal() > 0) {
                    out.printf(Locale.ROOT, "; communication cost over %s's proved optimum in %d cases: within "
                            + "25 %% in %d, median %.2fx, worst %.2fx", c.baseline(), c.provedOptimal(),
                            c.costWithin(1.25), c.medianCostRatio(), c.worstCostRatio());
                }
                out.println();
            }
            out.println("like for like: hcm puts energy first, as ilp-energy does; hcm-hosts and ilp-comm put "
                    + "communication first");
            out.println("power and requests per joule are modelled (Tables 5.1 and 5.4), not measured");
            return ExitCodes.OK;
        }
    }
}
