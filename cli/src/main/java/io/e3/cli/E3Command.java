package io.e3.cli;

import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Violation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.function.Function;

/** The root of the {@code e3} command tree. */
@Command(name = "e3",
        mixinStandardHelpOptions = true,
        versionProvider = E3Command.Version.class,
        header = "E3: microservice DAGs placed, run and migrated over host CPUs and SmartNICs.",
        description = {
                "Validate and describe clusters and applications. Manifests are YAML documents with "
                        + "apiVersion e3.io/v1alpha1 and kind MicroserviceApp or Cluster (docs/manifests.md).",
                "apply, get, delete and call talk to a running controller; 'e3 get --help' says how they find it.",
                ""},
        footer = {"",
                "Exit codes: 0 success, 1 runtime failure, 2 bad input (one line per problem on stderr).",
                "Start with: e3 demo"},
        subcommands = {
                ValidateCommand.class,
                DescribeCommand.class,
                PlaceCommand.class,
                MicroservicesCommand.class,
                InvokeCommand.class,
                BenchCommand.class,
                SimulateCommand.class,
                ClusterCommand.class,
                AgentCommand.class,
                ControllerCommand.class,
                DemoCommand.class,
                ApplyCommand.class,
                GetCommand.class,
                DeleteCommand.class,
                CallCommand.class,
                LoadCommand.class,
                CommandLine.HelpCommand.class})
public final class E3Command implements Runnable {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces of failures (for reporting bugs).")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final InputStream stdin;
    private final Function<String, String> environment;

    E3Command(InputStream stdin, Function<String, String> environment) {
        this.stdin = stdin;
        this.environment = environment;
    }

    /** Where {@code -f -} reads from. */
    static InputStream stdin(CommandLine.Model.CommandSpec anyCommand) {
        return ((E3Command) anyCommand.root().userObject()).stdin;
    }

    /** The environment variables commands read (E3_SERVER, E3_CONFIG, ...): the process's, or a test's. */
    static Function<String, String> environment(CommandLine.Model.CommandSpec anyCommand) {
        return ((E3Command) anyCommand.root().userObject()).environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line with E3's exit codes and error reporting, reading standard input from {@code System.in}. */
    public static CommandLine commandLine() {
        return commandLine(System.in);
    }

    /** A command line with E3's exit codes and error reporting, reading standard input from {@code stdin}. */
    public static CommandLine commandLine(InputStream stdin) {
        return commandLine(stdin, System::getenv);
    }

    /** As {@link #commandLine(InputStream)}, with the environment variables read from {@code environment}. */
    static CommandLine commandLine(InputStream stdin, Function<String, String> environment) {
        CommandLine cli = new CommandLine(new E3Command(stdin, environment));
        cli.setExecutionExceptionHandler(E3Command::handleExecutionException);
        cli.setParameterExceptionHandler(E3Command::handleParameterException);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    private static int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean debug = ((E3Command) cli.getCommandSpec().root().userObject()).debug;
        if (e instanceof ManifestException m) {
            m.violations().stream().map(Violation::toString).forEach(err::println);
            return ExitCodes.BAD_INPUT;
        }
        if (e instanceof BadInputException b) {
            b.problems().forEach(err::println);
            return ExitCodes.BAD_INPUT;
        }
        if (debug) {
            e.printStackTrace(err);
        } else if (e instanceof FailureException) {
            err.println("e3: error: " + e.getMessage());
        } else {
            err.println("e3: error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (run with --debug for details)");
        }
        return ExitCodes.FAILURE;
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println(cli.getCommandName() + ": " + e.getMessage() + " (try '" + cli.getCommandSpec().qualifiedName()
                + " --help')");
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        return ExitCodes.BAD_INPUT;
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = E3Command.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {
                    "e3 " + p.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
