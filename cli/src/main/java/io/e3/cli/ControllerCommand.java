package io.e3.cli;

import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.topology.AddressPlan;
import io.e3.placement.PlacementStrategies;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e3 controller}: runs the E3 controller (the Quarkus application of module controller) for a cluster. */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = {"Run the E3 controller for a cluster: REST API, placement and deploy to the node agents, "
                + "heartbeat ingest, automatic migration off overloaded SmartNICs, durable state "
                + "(docs/controller.md).",
                "It listens on the cluster's controller address, 127.B.0.2 (HTTP --port, heartbeats on UDP 7001), and "
                        + "manages the agents of the same --address-block: start them with 'e3 cluster up' and the "
                        + "same --token. Prints the URL, the token and the web dashboard's URL once it answers, then "
                        + "runs until interrupted or --exit-after; its log goes to standard output."},
        footer = {"", "Example:", "  e3 cluster up --cluster examples/clusters/3x-type1-smartnic.yaml --token T &",
                "  e3 controller --cluster examples/clusters/3x-type1-smartnic.yaml --token T",
                "  e3 apply -f examples/apps/iot-ts.yaml --token T"})
final class ControllerCommand implements Callable<Integer> {

    @Option(names = "--cluster", paramLabel = "FILE", defaultValue = "examples/clusters/3x-type1-smartnic.yaml",
            description = "The cluster manifest (default: ${DEFAULT-VALUE}).")
    Path clusterFile;

    @Option(names = "--address-block", paramLabel = "B", defaultValue = "42",
            description = "The agents' loopback block 127.B.0.0/16 (default: ${DEFAULT-VALUE}).")
    int block;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:E3_TOKEN}",
            description = "The cluster token; default E3_TOKEN, else a random one, printed.")
    String token;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "7090",
            description = "HTTP port of the API (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the durable state log lives (default: e3-state/CLUSTER-B, one folder per cluster "
                    + "and address block). A controller refuses a folder that holds another cluster's state.")
    Path stateDir;

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "hcm",
            description = "Placement algorithm: hcm, annealing, ilp or ilp-comm (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--exit-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long once it answers, e.g. 30s (default: run until interrupted).")
    Duration exitAfter;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        if (block < 1 || block > 254) {
            problems.add("--address-block: must be in [1, 254], got " + block);
        }
        if (port < 1 || port > 65_535) {
            problems.add("--port: must be in [1, 65535], got " + port);
        }
        if (PlacementStrategies.byName(algorithm).isEmpty()) {
            problems.add("--algorithm: '" + algorithm + "' is not one of " + PlacementStrategies.names());
        }
        if (token != null && !token.isEmpty() && !RunOptions.TOKEN.matcher(token).matches()) {
            problems.add("--token: must be visible ASCII characters without spaces");
        }
        ClusterManifest cluster = null;
        try {
            cluster = ManifestSources.only(ClusterManifest.class, ClusterManifest.KIND,
                    ManifestSources.load(clusterFile.toString(), E3Command.stdin(spec)), List.of(clusterFile.toString()))
                    .get(0);
        } catch (ManifestException e) {
            e.violations().forEach(v -> problems.add(v.toString()));
        } catch (BadInputException e) {
            problems.addAll(e.problems());
        }
        Path jar = controllerJar();
        if (!Files.isRegularFile(jar)) {
            problems.add("the controller is not built (" + jar + "); run ./e3 once, or mvn -B -pl controller -am "
                    + "package -DskipTests");
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        Path state = stateDir != null ? stateDir : defaultStateDir(cluster.cluster().name(), block);
        String foreign = foreignState(state, cluster.cluster().name(), AddressPlan.of(cluster.cluster(), block).block());
        if (foreign != null) {
            throw new BadInputException(List.of("--state-dir: " + foreign));
        }
        String tok = token == null || token.isEmpty() ? RunOptions.randomToken() : token;
        AddressPlan plan = AddressPlan.of(cluster.cluster(), block);
        String host = AddressPlan.text(plan.controllerIp());
        ControllerProcess child = ControllerProcess.start(jar, clusterFile, block, tok, host, port, state, algorithm,
                true);
        PrintWriter out = spec.commandLine().getOut();
        try (Foreground fg = Foreground.of(child::close, spec.commandLine().getErr())) {
            if (!child.awaitReady(tok, Duration.ofSeconds(90))) {
                throw new FailureException("the controller did not come up at " + child.url() + (child.alive() ? ""
                        : " (it exited with " + child.exitValue() + "; its log is above)"));
            }
            out.println("e3 controller for cluster " + cluster.cluster().name() + " at " + child.url()
                    + " (agents in " + plan.block() + "), state in "
                    + state.toAbsolutePath());
            out.println("  token: " + tok + (token == null || token.isEmpty() ? " (generated)" : ""));
            out.println("Dashboard: " + dashboardUrl(child.url(), tok));
            out.println(exitAfter == null ? "Running until interrupted (Ctrl-C)."
                    : "Running for " + Units.duration(exitAfter) + ", or until interrupted (Ctrl-C).");
            out.flush();
            fg.hold(exitAfter);
        }
        return ExitCodes.OK;
    }

    /**
     * The web dashboard of the controller at {@code controllerUrl}, with {@code token} in the URL fragment: the
     * browser hands it to the page's script and never sends it to the server (docs/controller.md).
     */
    static String dashboardUrl(String controllerUrl, String token) {
        return controllerUrl + "/dashboard/#token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** The controller's runnable jar: E3_CONTROLLER_JAR, else next to this build's e3.jar. */
    /** {@link #controllerJar()}; if it is not built, adds what to do about it to {@code problems}. */
    static Path builtControllerJar(java.util.List<String> problems) {
        Path jar = controllerJar();
        if (!java.nio.file.Files.isRegularFile(jar)) {
            problems.add("the controller is not built (" + jar + "); run ./e3 once, or mvn -B -pl controller -am "
                    + "package -DskipTests");
        }
        return jar;
    }

    static Path controllerJar() {
        String env = System.getenv("E3_CONTROLLER_JAR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        try {
            Path self = Path.of(ControllerCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = self.getParent().getParent().getParent();
            return root.resolve("controller/target/quarkus-app/quarkus-run.jar");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("controller/target/quarkus-app/quarkus-run.jar");
        }
    }

    /** The state folder of cluster {@code name} on block {@code block} when none is given. */
    static Path defaultStateDir(String name, int block) {
        return Path.of("e3-state", name + "-" + block);
    }

    /**
     * Why {@code dir} cannot hold the state of cluster {@code name} on {@code block} (its log records another
     * cluster), or null if it can.
     */
    static String foreignState(Path dir, String name, String block) throws IOException {
        Path log = dir.resolve("controller.log");
        if (!Files.isRegularFile(log)) {
            return null;
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (java.util.stream.Stream<String> lines = Files.lines(log)) {
            for (String line : (Iterable<String>) lines::iterator) {
                com.fasterxml.jackson.databind.JsonNode r;
                try {
                    r = json.readTree(line);
                } catch (IOException e) {
                    continue; // a torn record: the controller drops it
                }
                if (r != null && r.path("op").asText().equals("cluster")) {
                    String was = r.path("name").asText();
                    String at = r.path("addressBlock").asText();
                    return was.equals(name) && at.equals(block) ? null : dir.toAbsolutePath() + " holds the state of "
                            + "cluster " + was + " on " + at + ", not " + name + " on " + block
                            + "; choose another folder or delete that one to start afresh";
                }
            }
        }
        return null;
    }
}
