package io.e3.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ApplyCommandTest {

    private static final String IOT_TS = "../examples/apps/iot-ts.yaml";
    private static final String INVALID = "src/test/resources/malformed/replicas-zero.yaml";

    private FakeController controller;

    @BeforeEach
    void start() {
        controller = FakeController.start("t0k");
    }

    @AfterEach
    void stop() throws Exception {
        controller.close();
    }

    @Test
    void postsTheManifestAsYamlWithTheTokenAndPrintsCreatedWithThePhase() throws Exception {
        controller.answer("POST", "/v1/apps", 201, ControllerAnswers.IOT_TS_PENDING);

        CliRun run = controller.run("apply", "-f", IOT_TS);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("app iot-ts created (PENDING)\n");
        assertThat(run.err()).isEmpty();
        FakeController.Request sent = controller.requests().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/apps");
        assertThat(sent.contentType()).isEqualTo("application/yaml");
        assertThat(sent.authorization()).isEqualTo("Bearer t0k");
        assertThat(sent.body()).isEqualTo(Files.readString(Path.of(IOT_TS)));
    }

    @Test
    void anAppThatWasThereIsConfigured() {
        controller.answer("POST", "/v1/apps", 200, ControllerAnswers.IOT_TS_PENDING);

        CliRun run = controller.run("apply", "-f", IOT_TS);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("app iot-ts configured (PENDING)\n");
    }

    @Test
    void invalidManifestPrintsEveryViolationUnderTheFileNameAndExitsTwo() {
        controller.answer("POST", "/v1/apps", 422, ControllerAnswers.INVALID);

        CliRun run = controller.run("apply", "-f", INVALID);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).containsExactly(
                INVALID + ":9: spec.services[0].replicas: must be >= 1, got 0",
                INVALID + ": a second problem without a line");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void standardInputIsReportedAsStdin() {
        controller.answer("POST", "/v1/apps", 422, ControllerAnswers.INVALID);

        CliRun run = FakeController.run(controller.environment(), "kind: MicroserviceApp\n"
                .getBytes(StandardCharsets.UTF_8), "apply", "-f", "-");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines().get(0)).isEqualTo("<stdin>:9: spec.services[0].replicas: must be >= 1, got 0");
        assertThat(controller.requests().get(0).body()).isEqualTo("kind: MicroserviceApp\n");
    }

    @Test
    void appliesEveryFileInOrderAndStillExitsTwoWhenOneIsInvalid() {
        controller.answer("POST", "/v1/apps", 201, ControllerAnswers.IOT_TS_PENDING);

        CliRun first = controller.run("apply", "-f", IOT_TS, "-f", "../examples/apps/nfv-fin.yaml");

        assertThat(first.exitCode()).isZero();
        assertThat(first.out().lines()).hasSize(2);
        assertThat(controller.requests()).hasSize(2);
        assertThat(controller.requests().get(1).body()).contains("name: nfv-fin");

        controller.answer("POST", "/v1/apps", 422, ControllerAnswers.INVALID);
        CliRun second = controller.run("apply", "-f", INVALID, IOT_TS);
        assertThat(second.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(second.errLines()).hasSize(4).allMatch(l -> l.startsWith(INVALID) || l.startsWith(IOT_TS));
        assertThat(controller.requests()).hasSize(4);
    }

    @Test
    void missingFileIsBadInputAndNothingIsSent() {
        CliRun run = controller.run("apply", "-f", IOT_TS, "does/not/exist.yaml", "src/test/resources");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).containsExactly("does/not/exist.yaml: no such file",
                "src/test/resources: is a directory, not a manifest file");
        assertThat(controller.requests()).isEmpty();
    }

    @Test
    void withoutAFileItIsBadInput() {
        CliRun run = controller.run("apply");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("Missing required option: '--file=FILE'");
    }

    @Test
    void aFailureOfTheControllerExitsOneWithItsError() {
        controller.answer("POST", "/v1/apps", 500, "{\"error\":\"disk full\"}");

        CliRun run = controller.run("apply", "-f", IOT_TS);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines()).containsExactly(
                "e3: error: the controller answered POST /v1/apps with HTTP 500: disk full");
    }
}
