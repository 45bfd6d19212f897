package io.e3.cli;

import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.Manifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Violation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code e3 validate}: checks manifests and reports every problem with its file, line and field path. */
@Command(name = "validate",
        description = {
                "Check manifests without applying them. Every problem in every file is reported, one line each, as "
                        + "FILE:LINE: FIELD: PROBLEM; valid documents are listed on stdout.",
                "Exit code 0 when all are valid, 2 when any is not."},
        mixinStandardHelpOptions = true)
final class ValidateCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = {"-f", "--file"}, arity = "1..*", paramLabel = "FILE",
            description = "Manifest files; '-' reads standard input. Several may follow one -f.")
    List<String> files = new ArrayList<>();

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "More manifest files.")
    List<String> more = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<String> sources = new ArrayList<>(files);
        sources.addAll(more);
        if (sources.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give at least one manifest: -f FILE");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int problems = 0;
        int valid = 0;
        for (String source : sources) {
            try {
                for (Manifest m : ManifestSources.load(source, E3Command.stdin(spec))) {
                    out.println("ok  " + m.origin() + "  " + summary(m));
                    valid++;
                }
            } catch (ManifestException e) {
                e.violations().stream().map(Violation::toString).forEach(err::println);
                problems += e.violations().size();
            }
        }
        out.flush();
        err.flush();
        return problems == 0 && valid > 0 ? ExitCodes.OK : ExitCodes.BAD_INPUT;
    }

    static String summary(Manifest m) {
        if (m instanceof AppManifest a) {
            return "MicroserviceApp " + a.name() + ": " + Units.plural(a.app().services().size(), "service", "services")
                    + ", " + Units.plural(a.app().channels().size(), "channel", "channels") + ", "
                    + Units.plural(a.app().instanceCount(), "instance", "instances");
        }
        ClusterManifest c = (ClusterManifest) m;
        return "Cluster " + c.name() + ": " + Units.plural(c.cluster().servers().size(), "server", "servers") + ", "
                + Units.plural(c.cluster().nodes().size(), "compute node", "compute nodes");
    }
}
