package io.e3.cli;

import io.e3.microservices.services.MicroserviceCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code e3 microservices list}: the microservice types E3 runs, with their profiles. */
@Command(name = "microservices", mixinStandardHelpOptions = true,
        description = "The 16 microservice types of Table 5.2 that E3 runs.",
        subcommands = {MicroservicesCommand.List.class})
final class MicroservicesCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: list");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Each type: stateful or not, and its profile: per-request service time and per-core "
                    + "throughput on a host core and on a SmartNIC core, active power (modelled from Table 5.1, "
                    + "512 B requests), memory footprint and request-size sensitivity.",
                    "-o json adds the request and response schemas; try one with 'e3 invoke TYPE'."})
    static final class List implements Callable<Integer> {

        @CommandLine.Mixin
        OutputOption output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            MicroservicesReport report = MicroservicesReport.of(MicroserviceCatalog.entries());
            if (output.json()) {
                OutputFormat.printJson(out, report.types());
            } else {
                report.print(out);
            }
            return ExitCodes.OK;
        }
    }
}
