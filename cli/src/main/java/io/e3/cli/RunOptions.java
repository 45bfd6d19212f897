package io.e3.cli;

import io.e3.agent.AgentConfig;
import io.e3.agent.emu.Emulation;
import io.e3.agent.exec.ExecutionEngine;
import io.e3.model.topology.AddressPlan;
import io.e3.agent.rpc.RpcSettings;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Violation;
import io.e3.model.topology.Cluster;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The options of the commands that run an emulated cluster or one part of it: {@code cluster up} and {@code agent}. */
final class RunOptions {

    /** Where the token comes from when {@code --token} is not given. */
    static final String TOKEN_VARIABLE = "E3_TOKEN";

    /** A bearer token travels in an HTTP header: visible ASCII, no spaces. */
    static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");
    private static final int GENERATED_TOKEN_BYTES = 16;

    @Option(names = "--cluster", required = true, paramLabel = "FILE",
            description = "The cluster manifest; '-' reads standard input.")
    String clusterFile;

    @Option(names = "--dilation", paramLabel = "D",
            description = "Time dilation D >= 1: emulated time runs D times slower than real time, so that this "
                    + "machine keeps up; reported figures are converted back (default: ${DEFAULT-VALUE}).")
    double dilation = Emulation.DEFAULT_DILATION;

    @CommandLine.Mixin
    AddressBlockOption addressBlock;

    @CommandLine.Mixin
    ClusterTokenOption token;

    @Option(names = "--heartbeat-ms", paramLabel = "N",
            description = "Heartbeat period of every node agent in real milliseconds (default: ${DEFAULT-VALUE}).")
    long heartbeatMillis = AgentConfig.DEFAULT_HEARTBEAT_MILLIS;

    @Option(names = "--exit-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop cleanly after this long, counted from when everything listens, e.g. 30s or 10m "
                    + "(default: run until interrupted).")
    Duration exitAfter;

    @CommandLine.Mixin
    OutputOption output;

    @Option(names = "--json", description = "Same as -o json: one document {cluster, dilation, token, "
            + "switch: {address, url}, nodes: [{id, kind, server, address, url, metricsUrl}]}.")
    boolean json;

    /**
     * Everything a run needs, checked.
     *
     * @param tokenGenerated whether the token was made up for this run (neither --token nor E3_TOKEN gave one)
     * @param showToken      whether the table output may print the token
     * @param exitAfter      how long to run once everything listens; null: until interrupted
     */
    record Setup(ClusterManifest manifest, AddressPlan plan, Emulation emulation, String token,
                 boolean tokenGenerated, boolean showToken, long heartbeatMillis, Duration exitAfter) {

        Cluster cluster() {
            return manifest.cluster();
        }

        /** The address block as people write it, e.g. {@code 127.42.0.0/16}. */
        String block() {
            return plan.block();
        }

        /** How the agent of compute node {@code nodeId} runs. */
        AgentConfig agent(String nodeId) {
            return new AgentConfig(plan, nodeId, emulation, token, heartbeatMillis, RpcSettings.DEFAULT,
                    ExecutionEngine.ServiceFactory.CATALOG);
        }
    }

    /**
     * Checks the options and loads the cluster; bad input naming every problem at once, those {@code checks} finds in
     * the cluster included.
     */
    Setup setup(CommandLine.Model.CommandSpec spec, Function<Cluster, List<String>> checks)
            throws ManifestException {
        List<String> problems = optionProblems(spec);
        ClusterManifest manifest;
        try {
            manifest = ManifestSources.only(ClusterManifest.class, ClusterManifest.KIND,
                    ManifestSources.load(clusterFile, E3Command.stdin(spec)), List.of(clusterFile)).get(0);
        } catch (ManifestException e) {
            if (problems.isEmpty()) {
                throw e;
            }
            e.violations().stream().map(Violation::toString).forEach(problems::add);
            throw new BadInputException(problems);
        } catch (BadInputException e) {
            problems.addAll(e.problems());
            throw new BadInputException(problems);
        }
        problems.addAll(checks.apply(manifest.cluster()));
        AddressPlan plan = null;
        if (problems.isEmpty()) {
            try {
                plan = AddressPlan.of(manifest.cluster(), addressBlock.block());
            } catch (IllegalArgumentException e) {
                problems.add(manifest.origin() + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        String given = token.given();
        return new Setup(manifest, plan, Emulation.DEFAULT.withDilation(dilation),
                given == null ? randomToken() : given, given == null, token.show(), heartbeatMillis, exitAfter);
    }

    private List<String> optionProblems(CommandLine.Model.CommandSpec spec) {
        List<String> problems = new ArrayList<>();
        if (!(dilation >= 1) || Double.isInfinite(dilation)) {
            problems.add("--dilation: must be a number >= 1, got " + dilation);
        }
        addressBlock.check(problems);
        if (heartbeatMillis < 1) {
            problems.add("--heartbeat-ms: must be >= 1, got " + heartbeatMillis);
        }
        token.check(problems);
        return problems;
    }

    /** A random 128-bit cluster token, in hex, for runs given none. */
    static String randomToken() {
        byte[] bytes = new byte[GENERATED_TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Prints what listens where, as a table or one JSON document, and flushes: the run goes on after it. */
    void show(CommandLine.Model.CommandSpec spec, RunReport report, Duration exitAfter) {
        PrintWriter out = spec.commandLine().getOut();
        if (json || output.json()) {
            OutputFormat.printJson(out, report);
        } else {
            report.print(out);
            out.println(exitAfter == null ? "Running until interrupted (Ctrl-C)."
                    : "Running for " + Units.duration(exitAfter) + ", or until interrupted (Ctrl-C).");
        }
        out.flush();
    }
}
