package io.e3.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class E3CommandTest {

    @Test
    void helpListsTheCommands() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("validate", "describe", "cluster", "agent", "demo", "apply", "get", "delete",
                "Exit codes: 0 success");
    }

    @Test
    void versionNamesTheBuild() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("^e3 \\d+\\.\\d+\\.\\d+");
    }

    @Test
    void unknownCommandIsBadInputWithASuggestion() {
        CliRun run = CliRun.of("valdate");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("Unmatched argument at index 0: 'valdate'", "e3 validate");
    }

    @Test
    void unknownOptionValueIsBadInput() {
        CliRun run = CliRun.of("describe", "cluster", "-f", "../examples/clusters/beefy.yaml", "-o", "xml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("-o", "xml", "(try 'e3 describe cluster --help')");
    }

    @Test
    void validateWithoutFilesIsBadInput() {
        CliRun run = CliRun.of("validate");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("give at least one manifest");
    }

    @Test
    void validatesEveryExample() {
        CliRun run = CliRun.of("validate", "-f", "../examples/apps/iot-ts.yaml", "../examples/apps/nfv-fin.yaml",
                "../examples/clusters/3x-type1-smartnic.yaml");
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).hasSize(3).allMatch(l -> l.startsWith("ok  "));
    }

    /** Standard input that fails, as a closed or broken pipe does. */
    private static InputStream brokenStdin() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Broken pipe");
            }
        };
    }

    @Test
    void runtimeFailureExitsOneWithOneLineAndNoStackTrace() {
        CliRun run = CliRun.withStdin(brokenStdin(), "validate", "-f", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines()).containsExactly(
                "e3: error: cannot read standard input (run with --debug for details)");
    }

    @Test
    void debugShowsTheStackTraceOfARuntimeFailure() {
        CliRun run = CliRun.withStdin(brokenStdin(), "--debug", "validate", "-f", "-");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).contains("java.io.UncheckedIOException: cannot read standard input",
                "Caused by: java.io.IOException: Broken pipe", "\tat ");
    }

    @Test
    void readsAManifestFromStandardInput() {
        String yaml = """
                apiVersion: e3.io/v1alpha1
                kind: Cluster
                metadata: {name: one}
                spec: {racks: [{name: r, servers: [{type: Type1-SmartNIC}]}]}
                """;
        CliRun run = CliRun.withStdin(yaml.getBytes(StandardCharsets.UTF_8), "validate", "-f", "-");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("ok  <stdin>:1  Cluster one: 1 server, 2 compute nodes");
    }
}
