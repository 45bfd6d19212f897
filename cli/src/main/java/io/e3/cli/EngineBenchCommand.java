package io.e3.cli;

import io.e3.loadtest.LoadGeneratorBenchmark;
import io.e3.loadtest.LoadReport;
import io.e3.model.manifest.ManifestException;
import io.e3.simulator.SimulatorBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code e3 bench simulator} and {@code e3 bench load-generator}: how fast the two instruments themselves run. */
final class EngineBenchCommand {

    private EngineBenchCommand() {
    }

    @Command(name = "simulator", mixinStandardHelpOptions = true,
            description = {"The simulator's own speed (docs/simulator.md): FatTrees of Type2-SmartNIC servers with "
                    + SimulatorBenchmark.INSTANCES_PER_SERVER + " instances (copies of the 8 example apps) and "
                    + "1,000 Poisson requests/s per server, for each size; wall time, events and events per "
                    + "second on one core, placement not counted. Progress goes to stderr."})
    static final class Simulator implements Callable<Integer> {

        @Option(names = "--servers", split = ",", paramLabel = "N[,N...]", defaultValue = "100,1000",
                description = "Cluster sizes (default: ${DEFAULT-VALUE}).")
        List<Integer> servers;

        @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s",
                converter = DurationConverter.class, description = "Simulated time (default: ${DEFAULT-VALUE}).")
        Duration duration;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws ManifestException {
            for (int n : servers) {
                if (n < 1 || n > 100_000) {
                    throw new BadInputException("--servers: " + n + " is out of range [1, 100000]");
                }
            }
            SimulatorBenchmark bench = new SimulatorBenchmark(BenchCommand.Placement.templates());
            ProgressLine progress = new ProgressLine(spec.commandLine().getErr());
            List<SimulatorBenchmark.Row> rows = new ArrayList<>();
            for (int n : servers) {
                rows.add(bench.run(n, duration.toMillis() / 1e3, p -> progress.accept(String.format(Locale.ROOT,
                        "%,d servers: %.1f of %.1f s simulated, %.1f M events/s", n, p.simulatedSeconds(),
                        p.durationSeconds(), p.eventsPerSecond() / 1e6))));
            }
            progress.done();
            TextTable t = new TextTable("SERVERS", "INSTANCES", "REQUESTS/S", "SIMULATED", "WALL", "EVENTS",
                    "EVENTS/S", "THROUGHPUT", "P99");
            rows.forEach(r -> t.row(Units.number(r.servers()), Units.number(r.instances()), Units.number(r.rate()),
                    String.format(Locale.ROOT, "%.1f s", r.simulatedSeconds()),
                    String.format(Locale.ROOT, "%.1f s", r.wallSeconds()), Units.number(r.events()),
                    String.format(Locale.ROOT, "%.2f M", r.eventsPerSecond() / 1e6),
                    String.format(Locale.ROOT, "%.0f/s", r.throughput()), Units.micros(r.p99Micros())));
            t.print(spec.commandLine().getOut(), "");
            return ExitCodes.OK;
        }
    }

    @Command(name = "load-generator", mixinStandardHelpOptions = true,
            description = {"The load generator's own speed (docs/load.md): an open loop at a constant rate against "
                    + "a target that answers at once, in this process; whether the achieved send rate is within "
                    + "2 % of the offered one."})
    static final class Generator implements Callable<Integer> {

        @Option(names = "--rate", paramLabel = "R", defaultValue = "20000",
                description = "Requests per second offered (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s",
                converter = DurationConverter.class, description = "How long (default: ${DEFAULT-VALUE}).")
        Duration duration;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!(rate > 0 && rate <= 10_000_000)) {
                throw new BadInputException("--rate: must be more than 0 and at most 10000000, got " + rate);
            }
            ProgressLine progress = new ProgressLine(spec.commandLine().getErr());
            LoadReport r = LoadGeneratorBenchmark.run(rate, duration, p -> progress.accept(String.format(
                    Locale.ROOT, "%.0f s: %d sent, %.0f/s", p.elapsedSeconds(), p.sent(), p.achievedRate())));
            progress.done();
            LoadGeneratorBenchmark.summary(r).forEach(spec.commandLine().getOut()::println);
            return ExitCodes.OK;
        }
    }
}
