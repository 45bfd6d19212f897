package io.e3.simulator;

import io.e3.model.app.AppSpec;
import io.e3.model.manifest.ManifestException;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The simulator's scale benchmark: FatTrees of Type2-SmartNIC servers carrying copies of the example apps
 * ({@link Scenario#scale}), 10 instances and 1,000 offered requests per second per server (so 1,000 servers carry
 * 10,000 instances at 1 M requests/s, the acceptance scenario), timed in wall time and events per second.
 *
 * <pre>
 *   java -cp ... io.e3.simulator.SimulatorBenchmark [examples/apps] [servers,...] [simulated seconds,...]
 * </pre>
 */
public final class SimulatorBenchmark {

    /** Instances per server, and offered requests per second per server. */
    public static final int INSTANCES_PER_SERVER = 10;
    public static final double RATE_PER_SERVER = 1_000;

    /** The eight apps of Table 5.3, in the order the placement benchmark uses. */
    public static final List<String> EXAMPLE_APPS = List.of("nfv-fin", "nfv-din", "nfv-ifid", "rta-ptc", "rta-sf",
            "rta-shm", "iot-dh", "iot-ts");

    /**
     * One measurement.
     *
     * @param servers          servers in the FatTree
     * @param instances        instances placed
     * @param rate             offered requests per second
     * @param simulatedSeconds simulated time run
     * @param placementSeconds wall time placement took
     * @param wallSeconds      wall time the simulation took, placement not included
     * @param events           events processed
     * @param eventsPerSecond  events per wall second
     * @param throughput       completed requests per simulated second
     * @param p99Micros        99th percentile latency
     */
    public record Row(int servers, int instances, double rate, double simulatedSeconds, double placementSeconds,
                      double wallSeconds, long events, double eventsPerSecond, double throughput, double p99Micros) {
    }

    private final List<AppSpec> templates;

    public SimulatorBenchmark(List<AppSpec> templates) {
        this.templates = List.copyOf(templates);
        if (this.templates.isEmpty()) {
            throw new IllegalArgumentException("the benchmark needs at least one template app");
        }
    }

    /** The example apps read from {@code dir} (the repository's {@code examples/apps}). */
    public static List<AppSpec> examples(Path dir) throws ManifestException {
        List<Path> files = new ArrayList<>();
        for (String name : EXAMPLE_APPS) {
            files.add(dir.resolve(name + ".yaml"));
        }
        return Scenario.appsFromManifests(files);
    }

    /** Places and runs one cluster size for {@code seconds} of simulated time. */
    public Row run(int servers, double seconds, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        Scenario scenario = Scenario.scale(servers, servers * INSTANCES_PER_SERVER, templates);
        double rate = servers * RATE_PER_SERVER;
        SimulationConfig config = SimulationConfig.builder().client(ClientModel.poisson(rate))
                .durationSeconds(seconds).progressEverySeconds(Math.max(0.1, seconds / 10)).build();
        Simulator sim = Simulator.place(scenario, config);
        SimulationResult r = sim.run(listener);
        return new Row(servers, sim.deployment().placedInstances(), rate, seconds,
                sim.deployment().placementMillis() / 1e3, r.engine().wallSeconds(), r.engine().events(),
                r.engine().eventsPerSecond(), r.throughput(), r.latency().p99Micros());
    }

    /** Prints one row as a table line. */
    public static String format(Row r) {
        return String.format(Locale.ROOT, "%,8d %,9d %,12.0f %6.1f %9.1f %9.1f %,14d %,12.0f %,12.0f %10.1f",
                r.servers(), r.instances(), r.rate(), r.simulatedSeconds(), r.placementSeconds(), r.wallSeconds(),
                r.events(), r.eventsPerSecond(), r.throughput(), r.p99Micros());
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "examples/apps");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("..").resolve(dir);
        }
        List<Integer> sizes = args.length > 1 ? parseInts(args[1]) : List.of(100, 1_000, 10_000);
        List<Double> seconds = args.length > 2 ? parseDoubles(args[2]) : List.of(10.0, 10.0, 1.0);
        SimulatorBenchmark bench = new SimulatorBenchmark(examples(dir));
        PrintStream out = System.out;
        out.println(" servers instances     offered/s  sim s  place s    wall s         events     events/s"
                + "   completed/s   p99 µs");
        for (int i = 0; i < sizes.size(); i++) {
            int servers = sizes.get(i);
            Row r = bench.run(servers, seconds.get(Math.min(i, seconds.size() - 1)), p -> System.err.printf(
                    Locale.ROOT, "  %d servers: %.1f/%.1f s simulated, %,d events, %.1f s wall, %,.0f events/s%n",
                    servers, p.simulatedSeconds(), p.durationSeconds(), p.events(), p.wallSeconds(),
                    p.eventsPerSecond()));
            out.println(format(r));
        }
    }

    private static List<Integer> parseInts(String csv) {
        return List.of(csv.split(",")).stream().map(String::trim).map(Integer::parseInt).toList();
    }

    private static List<Double> parseDoubles(String csv) {
        return List.of(csv.split(",")).stream().map(String::trim).map(Double::parseDouble).toList();
    }
}
