package io.e3.cli;

import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.Manifest;
import io.e3.model.manifest.ManifestException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

/** {@code e3 describe cluster|app}: what a manifest amounts to once read. */
@Command(name = "describe",
        description = "Show what a cluster or app manifest amounts to.",
        mixinStandardHelpOptions = true,
        subcommands = {DescribeCommand.Cluster.class, DescribeCommand.App.class})
final class DescribeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to describe: cluster or app");
    }

    /** Options both subcommands take. */
    static class Source {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = "The manifest; '-' reads standard input.")
        String file;

        @CommandLine.Mixin
        OutputOption output;

        /** Prints a report of each document of {@code kind} in the file; bad input if there is none. */
        <T extends Manifest> int describe(CommandLine.Model.CommandSpec spec, Class<T> type, String kind,
                                          Function<T, Report> report) throws ManifestException {
            List<Manifest> manifests = ManifestSources.load(file, E3Command.stdin(spec));
            PrintWriter out = spec.commandLine().getOut();
            for (T manifest : ManifestSources.only(type, kind, manifests, List.of(file))) {
                if (output.json()) {
                    OutputFormat.printJson(out, report.apply(manifest));
                } else {
                    report.apply(manifest).print(out);
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "cluster", mixinStandardHelpOptions = true,
            description = "Servers, compute nodes with kind and capacity, idle and peak power, and cost "
                    + "(Table 5.4 figures for the built-in server types).")
    static final class Cluster implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Mixin
        Source source;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws ManifestException {
            return source.describe(spec, ClusterManifest.class, ClusterManifest.KIND,
                    c -> ClusterReport.of(c.cluster(), c.origin()));
        }
    }

    @Command(name = "app", mixinStandardHelpOptions = true,
            description = "Services with their instances, backups, demand and pins, and channels with routing and "
                    + "expected load.")
    static final class App implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Mixin
        Source source;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws ManifestException {
            return source.describe(spec, AppManifest.class, AppManifest.KIND,
                    a -> AppReport.of(a.app(), a.origin()));
        }
    }
}
