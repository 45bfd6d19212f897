package io.e3.cli;

import io.e3.agent.bench.GovernorBench;
import io.e3.model.app.MicroserviceType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e3 bench governor}: does an emulated SmartNIC run each type as much slower or faster than a host as Table 5.1 says? */
@Command(name = "governor", mixinStandardHelpOptions = true,
        description = {"Governor fidelity: for each type and dilation factor D, boots one emulated Type1 server "
                + "(12-core host, 12-core SmartNIC), saturates the type on each node through the switch with 3 "
                + "requests per core outstanding, and measures completions per second after a warm-up. Per-core "
                + "throughput in emulated time (rps x D / cores) on the SmartNIC over the host's is compared with "
                + "Table 5.1's ratio.",
                "Pick D so that the emulated node, not this machine, is the bottleneck: with the defaults a node "
                        + "completes at most ~420 requests per real second. The governor-overrun column counts "
                        + "requests whose real execution outlasted their emulated time (D too small if it grows).",
                "The defaults take about 2 minutes. Progress goes to stderr."})
final class GovernorBenchCommand implements Callable<Integer> {

    @CommandLine.Mixin
    TypesOption types = new TypesOption("bayes,recommend,knn");

    @Option(names = "--dilations", split = ",", paramLabel = "D[,D...]", defaultValue = "100,200",
            description = "Dilation factors, each >= 1 (default: ${DEFAULT-VALUE}).")
    List<Double> dilations;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
            description = "Warm-up per node (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "6s", converter = DurationConverter.class,
            description = "Measurement window per node (default: ${DEFAULT-VALUE}).")
    Duration window;

    /** The emulated server runs here. */
    @CommandLine.Mixin
    AddressBlockOption block = new AddressBlockOption(43);

    @CommandLine.Mixin
    OutputOption output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        List<MicroserviceType> chosen = types.chosen(problems);
        dilations.stream().filter(d -> !(d >= 1) || d.isInfinite()).forEach(d ->
                problems.add("--dilations: " + d + " is not >= 1"));
        if (warmup.isNegative() || window.toMillis() < 500) {
            problems.add("--warmup must be >= 0 and --window at least 500ms");
        }
        block.check(problems);
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        ProgressLine progress = new ProgressLine(spec.commandLine().getErr());
        List<GovernorBench.Result> results = GovernorBench.run(chosen, dilations, warmup, window, block.block(),
                progress);
        progress.done();
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            OutputFormat.printJson(out, results);
        } else {
            print(out, results);
        }
        return ExitCodes.OK;
    }

    private static void print(PrintWriter out, List<GovernorBench.Result> results) {
        out.println("Per-core throughput in emulated time (measured rps x D / 12 cores) beside Table 5.1's (modelled "
                + "profile), and the SmartNIC / host ratio:");
        TextTable table = new TextTable("TYPE", "D", "HOST /CORE", "TABLE", "SMARTNIC /CORE", "TABLE", "RATIO",
                "TABLE RATIO", "ERROR", "OVERRUNS", "FAILED");
        for (GovernorBench.Result r : results) {
            table.row(r.type(), String.format(Locale.ROOT, "%.0f", r.dilation()),
                    rps(r.host().emulatedPerCoreRps()), rps(r.host().profilePerCoreRps()),
                    rps(r.smartNic().emulatedPerCoreRps()), rps(r.smartNic().profilePerCoreRps()),
                    String.format(Locale.ROOT, "%.4f", r.measuredRatio()),
                    String.format(Locale.ROOT, "%.4f", r.profileRatio()),
                    String.format(Locale.ROOT, "%+.1f %%", 100 * r.relativeError()),
                    String.valueOf(r.host().overruns() + r.smartNic().overruns()),
                    String.valueOf(r.host().failures() + r.smartNic().failures()));
        }
        table.print(out, "");
        out.println("The TABLE columns are Table 5.1's per-core rates at 512 B; the requests here are the catalog's "
                + "samples of about 512 B, so absolute rates differ by their size factor while the ratio does not.");
    }

    private static String rps(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
