package io.e3.cli;

import picocli.CommandLine.Option;

/** {@code -o table|json} of the commands that print what a controller answers ({@code get}, {@code call}). */
final class OutputOption {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json, the controller's JSON (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    boolean json() {
        return format == OutputFormat.json;
    }
}
