package io.e3.cli;

import io.e3.cli.bench.MicroserviceBench;
import io.e3.model.app.MicroserviceType;
import org.openjdk.jmh.runner.RunnerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code e3 bench microservices}: measured host cost per request of every type, beside Table 5.1. */
@Command(name = "microservices", mixinStandardHelpOptions = true,
        description = {"Measured host cost of one request of each microservice type on one core of this machine "
                + "(JMH, one forked JVM per type and size): the service's own work, and end to end with JSON "
                + "parsing and serialisation. Beside it, Table 5.1's host (DPDK) time per request per core.",
                "With several --sizes it also fits cost = a + b x bytes and reports the share of the cost at 512 B "
                        + "that grows with the request size. It measures each instance's heap footprint too.",
                "All 16 types at one size take about 4 minutes with the defaults. Progress goes to stderr."})
final class MicroserviceBenchCommand implements Callable<Integer> {

    @CommandLine.Mixin
    TypesOption types;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES[,BYTES...]", defaultValue = "512",
            description = "Request sizes to ask the samplers for (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2",
            description = "Warm-up iterations per run (default: ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "3",
            description = "Measured iterations per run (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--iteration-time", paramLabel = "DURATION", defaultValue = "1s",
            converter = DurationConverter.class,
            description = "Length of each iteration (default: ${DEFAULT-VALUE}).")
    Duration time;

    @CommandLine.Mixin
    OutputOption output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Everything measured for one type. */
    record TypeResult(String type, List<MicroserviceBench.Row> sizes, long footprintBytes, Double sizeShareAt512) {
    }

    @Override
    public Integer call() throws RunnerException, IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        List<MicroserviceType> chosen = types.chosen(problems);
        sizes.stream().filter(s -> s < 16 || s > 65_536).forEach(s ->
                problems.add("--sizes: " + s + " is out of range [16, 65536]"));
        if (warmups < 0 || warmups > 100 || iterations < 1 || iterations > 100) {
            problems.add("--warmup must be in [0, 100] and --iterations in [1, 100]");
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        MicroserviceBench bench = new MicroserviceBench(warmups, iterations, time, 1);
        ProgressLine progress = new ProgressLine(spec.commandLine().getErr());
        List<TypeResult> results = new ArrayList<>();
        int done = 0;
        for (MicroserviceType t : chosen) {
            List<MicroserviceBench.Row> rows = new ArrayList<>();
            for (int size : sizes) {
                String step = "[" + (++done) + "/" + chosen.size() * sizes.size() + "] ";
                rows.add(bench.run(t, size, m -> progress.accept(step + m)));
            }
            results.add(new TypeResult(t.manifestName(), rows, MicroserviceBench.footprintBytes(t),
                    sizeShareAt512(rows)));
        }
        progress.done();
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            OutputFormat.printJson(out, results);
        } else {
            print(out, results);
        }
        return ExitCodes.OK;
    }

    /**
     * Least-squares fit of end-to-end cost against mean request size, {@code cost = a + b bytes}: the share
     * {@code 512 b / (a + 512 b)} of the cost at 512 B that scales with size. Null when the type's requests did not
     * vary in size by at least 100 B across the sizes measured.
     */
    static Double sizeShareAt512(List<MicroserviceBench.Row> rows) {
        double minBytes = rows.stream().mapToDouble(MicroserviceBench.Row::requestBytes).min().orElse(0);
        double maxBytes = rows.stream().mapToDouble(MicroserviceBench.Row::requestBytes).max().orElse(0);
        if (rows.size() < 2 || maxBytes - minBytes < 100) {
            return null;
        }
        double n = rows.size();
        double mx = rows.stream().mapToDouble(MicroserviceBench.Row::requestBytes).sum() / n;
        double my = rows.stream().mapToDouble(MicroserviceBench.Row::endToEndNanos).sum() / n;
        double sxy = rows.stream().mapToDouble(r -> (r.requestBytes() - mx) * (r.endToEndNanos() - my)).sum();
        double sxx = rows.stream().mapToDouble(r -> (r.requestBytes() - mx) * (r.requestBytes() - mx)).sum();
        double b = sxy / sxx;
        double a = my - b * mx;
        double at512 = a + 512 * b;
        return at512 > 0 ? Math.max(0, Math.min(1, 512 * b / at512)) : null;
    }

    private static void print(PrintWriter out, List<TypeResult> results) {
        out.println("Host cost per request on one core of this machine (measured, JMH average time), beside "
                + "Table 5.1's host (DPDK) cores / throughput:");
        TextTable table = new TextTable("TYPE", "ASKED", "REQUEST", "SERVICE µs", "END-TO-END µs",
                "TABLE 5.1 HOST µs", "END-TO-END / TABLE", "HEAP");
        for (TypeResult t : results) {
            for (MicroserviceBench.Row r : t.sizes()) {
                table.row(r.type(), r.askedBytes() + " B", String.format(Locale.ROOT, "%.0f B", r.requestBytes()),
                        micros(r.serviceNanos(), r.serviceError()), micros(r.endToEndNanos(), r.endToEndError()),
                        String.format(Locale.ROOT, "%.2f", r.table51HostNanos() / 1000),
                        String.format(Locale.ROOT, "%.2f", r.endToEndNanos() / r.table51HostNanos()),
                        heap(t.footprintBytes()));
            }
        }
        table.print(out, "");
        if (results.stream().anyMatch(t -> t.sizeShareAt512() != null)) {
            out.println();
            out.println("Share of the end-to-end cost at 512 B that grows with request size (fit over the sizes):");
            results.stream().filter(t -> t.sizeShareAt512() != null).forEach(t -> out.println("  " + t.type() + ": "
                    + String.format(Locale.ROOT, "%.0f %%", 100 * t.sizeShareAt512())));
        }
    }

    private static String heap(long bytes) {
        return bytes < 1 << 20 ? String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String micros(double nanos, double error) {
        return Double.isNaN(error) ? String.format(Locale.ROOT, "%.3f", nanos / 1000)
                : String.format(Locale.ROOT, "%.3f ± %.3f", nanos / 1000, error / 1000);
    }
}
