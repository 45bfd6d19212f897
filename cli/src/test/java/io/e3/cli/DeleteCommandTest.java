package io.e3.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeleteCommandTest {

    private FakeController controller;

    @BeforeEach
    void start() {
        controller = FakeController.start("t0k")
                .answer("DELETE", "/v1/apps/iot-ts", 202, ControllerAnswers.DELETING)
                .answer("DELETE", "/v1/apps/shop", 404, ControllerAnswers.NO_APP_SHOP);
    }

    @AfterEach
    void stop() throws Exception {
        controller.close();
    }

    @Test
    void deletesAnAppAndSaysItIsBeingDeleted() {
        CliRun run = controller.run("delete", "app", "iot-ts");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("app iot-ts deleting\n");
        assertThat(controller.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("DELETE");
            assertThat(r.path()).isEqualTo("/v1/apps/iot-ts");
            assertThat(r.authorization()).isEqualTo("Bearer t0k");
        });
    }

    @Test
    void anAppThatIsNotThereExitsOne() {
        CliRun run = controller.run("delete", "apps", "shop");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines()).containsExactly("e3: error: no app 'shop'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aNameIsOnePathSegmentHoweverItIsWritten() {
        CliRun run = controller.run("delete", "app", "../nodes");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(controller.requests()).singleElement().extracting(FakeController.Request::path)
                .isEqualTo("/v1/apps/%2E%2E%2Fnodes");
    }

    @Test
    void onlyAppsCanBeDeleted() {
        CliRun run = controller.run("delete", "node", "s0/host");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("only apps can be deleted: e3 delete app NAME; got 'node'");
        assertThat(controller.requests()).isEmpty();
    }

    @Test
    void withoutANameItIsBadInput() {
        CliRun run = controller.run("delete", "app");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("Missing required parameter: 'NAME'");
    }
}
