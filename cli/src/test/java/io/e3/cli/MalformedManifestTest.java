package io.e3.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every class of bad manifest exits 2 with one line per problem on stderr naming where the problem is, and never a
 * stack trace.
 */
class MalformedManifestTest {

    private static final String DIR = "src/test/resources/malformed/";

    private static void assertRejected(CliRun run, String expectedLine) {
        assertThat(run.exitCode()).as("exit code").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).as("stderr").anySatisfy(l -> assertThat(l).startsWith(expectedLine));
        assertNoStackTrace(run);
    }

    static void assertNoStackTrace(CliRun run) {
        assertThat(run.err()).doesNotContain("Exception", "\tat ", "at io.e3", "at java.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "yaml-syntax.yaml                | yaml-syntax.yaml:9: YAML syntax error: expected <block end>, but "
                    + "found '<block mapping start>' (column 6, while parsing a block collection started at line 7)",
            "missing-type.yaml               | missing-type.yaml:7: spec.services[0].type: required field is missing",
            "missing-metadata.yaml           | missing-metadata.yaml:1: metadata: required field is missing",
            "mistyped-replicas.yaml          | mistyped-replicas.yaml:9: spec.services[0].replicas: must be a whole "
                    + "number, got the string 'two'",
            "mistyped-services.yaml          | mistyped-services.yaml:6: spec.services: must be a list, got a mapping",
            "unknown-kind.yaml               | unknown-kind.yaml:2: kind: unknown kind 'Deployment'",
            "unknown-api-version.yaml        | unknown-api-version.yaml:1: apiVersion: unsupported apiVersion "
                    + "'apps/v1'",
            "unknown-microservice-type.yaml  | unknown-microservice-type.yaml:8: spec.services[0].type: unknown "
                    + "microservice type 'redis'",
            "unknown-server-type.yaml        | unknown-server-type.yaml:9: spec.racks[0].servers[0].type: unknown "
                    + "server type 'Type3-SmartNIC' (did you mean 'Type1-SmartNIC'?)",
            "duplicate-service.yaml          | duplicate-service.yaml:8: spec.services[1].name: duplicate service "
                    + "name 'cart'",
            "duplicate-rack.yaml             | duplicate-rack.yaml:8: spec.racks[1].name: duplicate rack name 'rack-0'",
            "channel-unknown-service.yaml    | channel-unknown-service.yaml:10: spec.channels[0].to: unknown service "
                    + "'checkout'",
            "replicas-zero.yaml              | replicas-zero.yaml:9: spec.services[0].replicas: must be >= 1, got 0",
            "shards-absurd.yaml              | shards-absurd.yaml:9: spec.services[0].shards: must be <= 10000, "
                    + "got 5000000",
            "cores-negative.yaml             | cores-negative.yaml:9: spec.services[0].resources.cores: must be > 0, "
                    + "got -2",
            "memory-zero.yaml                | memory-zero.yaml:9: spec.services[0].resources.memoryMiB: must be >= 1,"
                    + " got 0",
            "cycle.yaml                      | cycle.yaml:14: spec.channels[2]: channels form a cycle user -> graph "
                    + "-> user",
            "unknown-field.yaml              | unknown-field.yaml:7: spec.services[0].replcas: unknown field 'replcas'"
                    + " (did you mean 'replicas'?)",
            "round-robin-into-shards.yaml    | round-robin-into-shards.yaml:10: spec.channels[0].routing: round-robin "
                    + "cannot reach the shards of 'db'",
            "override-inconsistent.yaml      | override-inconsistent.yaml:7: spec.serverTypes.Type2-SmartNIC: "
                    + "peakWatts must be >= idleWatts",
            "unknown-pin.yaml                | unknown-pin.yaml:7: spec.services[0].pin: unknown pin 'GPU'",
            "bad-name.yaml                   | bad-name.yaml:4: metadata.name: must be a DNS-1123 label",
            "truncated.yaml                  | truncated.yaml:39: spec.channels[0].to: unknown service 'st'",
            "truncated-flow.yaml             | truncated-flow.yaml:8: YAML syntax error: expected ',' or '}', but "
                    + "got <stream end> (column 1, while parsing a flow mapping started at line 7)"})
    void rejectsMalformedManifestNamingWhereTheProblemIs(String file, String expected) {
        assertRejected(CliRun.of("validate", "-f", DIR + file), DIR + expected);
    }

    @Test
    void rejectsAnEmptyFile(@TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.yaml"));
        assertRejected(CliRun.of("validate", "-f", empty.toString()), empty + ": empty manifest: no YAML document");
    }

    @Test
    void rejectsAFileOfOnlyComments(@TempDir Path dir) throws IOException {
        Path comments = Files.writeString(dir.resolve("c.yaml"), "# nothing here\n---\n");
        assertRejected(CliRun.of("validate", "-f", comments.toString()), comments + ": empty manifest");
    }

    @Test
    void rejectsABinaryFile(@TempDir Path dir) throws IOException {
        Path binary = Files.write(dir.resolve("app.yaml"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
        assertRejected(CliRun.of("validate", "-f", binary.toString()), binary + ": binary content (a NUL byte at "
                + "offset 7), not a YAML manifest");
    }

    @Test
    void rejectsTextThatIsNotUtf8(@TempDir Path dir) throws IOException {
        Path latin1 = Files.write(dir.resolve("app.yaml"), "name: caf\u00e9\n".getBytes("ISO-8859-1"));
        assertRejected(CliRun.of("validate", "-f", latin1.toString()), latin1 + ": not UTF-8 text");
    }

    @Test
    void rejectsADirectory(@TempDir Path dir) {
        assertRejected(CliRun.of("validate", "-f", dir.toString()), dir + ": is a directory, not a manifest file");
    }

    @Test
    void rejectsAMissingPath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertRejected(CliRun.of("validate", "-f", missing.toString()), missing + ": no such file");
    }

    @Test
    void rejectsAFileTooLargeToBeAManifest(@TempDir Path dir) throws IOException {
        Path big = Files.write(dir.resolve("big.yaml"), new byte[2 * 1024 * 1024]);
        assertRejected(CliRun.of("validate", "-f", big.toString()), big + ": too large for a manifest");
    }

    @Test
    void rejectsBinaryOnStandardInput() {
        assertRejected(CliRun.withStdin(new byte[] {1, 0, 2}, "validate", "-f", "-"), "<stdin>: binary content");
    }

    @Test
    void reportsEveryProblemOfEveryFileAndStillListsTheValidOnes() {
        CliRun run = CliRun.of("validate", "-f", DIR + "replicas-zero.yaml", "../examples/apps/iot-ts.yaml",
                DIR + "cycle.yaml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).hasSize(2);
        assertThat(run.out()).contains("ok  ../examples/apps/iot-ts.yaml:6  MicroserviceApp iot-ts");
        assertNoStackTrace(run);
    }

    @Test
    void describeRejectsAManifestOfTheWrongKind() {
        CliRun run = CliRun.of("describe", "cluster", "-f", "../examples/apps/iot-ts.yaml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).startsWith("../examples/apps/iot-ts.yaml: no Cluster document in it (found "
                + "[MicroserviceApp 'iot-ts'])");
        assertNoStackTrace(run);
    }
}
