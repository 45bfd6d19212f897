package io.e3.cli;

import picocli.CommandLine.Option;

/** {@code -o table|json}, for every command that prints a table or, asked, one JSON document. */
final class OutputOption {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    boolean json() {
        return format == OutputFormat.json;
    }
}
