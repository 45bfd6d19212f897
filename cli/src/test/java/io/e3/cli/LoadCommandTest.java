package io.e3.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code e3 load}'s checks before any load is sent; a live run is in {@code CliIT}. */
class LoadCommandTest {

    private FakeController controller;

    @BeforeEach
    void start() {
        controller = FakeController.start("t0k")
                .answer("GET", "/v1/apps/shop", 404, ControllerAnswers.NO_APP_SHOP)
                .answer("GET", "/v1/apps/iot-ts", 200,
                        "{\"name\": \"iot-ts\", \"phase\": \"FAILED\", \"reason\": \"deploy failed\"}")
                .answer("GET", "/v1/apps/nfv-fin", 200, running("nfv-fin"))
                .answer("GET", "/v1/cluster", 200, "{\"name\": \"other\", \"servers\": 2, \"nodes\": 4, "
                        + "\"addressBlock\": \"127.91.0.0/16\", \"placement\": \"hcm\"}");
    }

    /** The controller's view of a RUNNING example app, with its manifest. */
    private static String running(String app) {
        try {
            return new ObjectMapper().writeValueAsString(Map.of("name", app, "phase", "RUNNING", "manifest",
                    Files.readString(Path.of("../examples/apps/" + app + ".yaml"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() throws Exception {
        controller.close();
    }

    @Test
    void badOptionsExitTwoWithOneLineBeforeContactingTheController() {
        assertBad("--rate: must be more than 0", "load", "--app", "iot-ts", "--rate", "0");
        assertBad("--rate: must be more than 0", "load", "--app", "iot-ts", "--rate", "-5");
        // Durations are checked by the shared converter, which adds picocli's pointer to --help.
        CliRun negative = controller.run("load", "--app", "iot-ts", "--rate", "10", "--duration", "-1s");
        assertThat(negative.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(negative.errLines().get(0)).contains("'--duration'", "'-1s' is not a duration");
        CliRun warmup = controller.run("load", "--app", "iot-ts", "--rate", "10", "--warmup", "-1s");
        assertThat(warmup.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(warmup.errLines().get(0)).contains("'--warmup'", "'-1s' is not a duration");
        assertBad("--closed: must be 1", "load", "--app", "iot-ts", "--closed", "0");
        assertBad("--arrivals: 'bursty'", "load", "--app", "iot-ts", "--rate", "10", "--arrivals", "bursty");
        assertThat(controller.requests()).isEmpty();
    }

    @Test
    void anUnknownOrStoppedAppExitsOneWithOneLine() {
        CliRun unknown = controller.run("load", "--app", "shop", "--rate", "10");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(unknown.errLines()).singleElement().asString().contains("no app 'shop'");

        CliRun failed = controller.run("load", "--app", "iot-ts", "--rate", "10");
        assertThat(failed.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(failed.errLines()).containsExactly("e3: error: app 'iot-ts' is FAILED, not RUNNING");
    }

    @Test
    void aClusterManifestThatIsNotTheControllersIsRefused() {
        CliRun run = controller.run("load", "--app", "nfv-fin", "--rate", "10");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).singleElement().asString()
                .contains("--cluster: the controller runs cluster 'other' (4 nodes), not '3x-type1-smartnic'");
    }

    @Test
    void anUnreachableControllerExitsOneWithOneLine() throws Exception {
        Map<String, String> env = controller.environment();
        env.put(ControllerOptions.SERVER_VARIABLE, FakeController.goneUrl());
        CliRun run = FakeController.run(env, new byte[0], "load", "--app", "iot-ts", "--rate", "10");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines()).singleElement().asString().startsWith("e3: error: cannot reach the controller");
    }

    private void assertBad(String mentions, String... args) {
        CliRun run = controller.run(args);
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains(mentions).doesNotContain("Exception");
    }
}
