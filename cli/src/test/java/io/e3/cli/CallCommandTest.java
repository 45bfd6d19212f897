package io.e3.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CallCommandTest {

    private static final String REQUESTS = "/v1/apps/iot-ts/requests";

    private FakeController controller;

    @BeforeEach
    void start() {
        controller = FakeController.start("t0k")
                .answer("POST", REQUESTS, 200, ControllerAnswers.IOT_TS_REPLY)
                .answer("POST", "/v1/apps/shop/requests", 404, ControllerAnswers.NO_APP_SHOP);
    }

    @AfterEach
    void stop() throws Exception {
        controller.close();
    }

    @Test
    void printsEveryStageAsATreeWithItsInstanceNodeLatenciesAndResponse() {
        CliRun run = controller.run("call", "--app", "iot-ts", "--key", "thermostat-17");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "iot-ts: 5 of 5 stages answered, 0 failures, in 21.4 ms (envelope id 1, key thermostat-17)",
                "STAGE            INSTANCE            NODE     EXEC      LATENCY   RESPONSE",
                "gateway          iot-ts/gateway.3    s0/host  52.1 µs   803.2 µs  {\"status\":200,\"route\":\"readings\"}",
                "└─ store         iot-ts/store.7      s1/host  40.2 µs   610.0 µs  {\"rows\":1}",
                "   ├─ ema        iot-ts/ema.7        s1/nic0  9.8 µs    12.1 µs   {\"ema\":21.5}",
                "   ├─ spike      iot-ts/spike.7      s2/nic0  11.0 µs   14.9 µs   {\"spike\":false}",
                "   └─ recommend  iot-ts/recommend.7  s2/nic0  300.5 µs  320.7 µs  {\"setpoint\":20.0}",
                "EXEC: arrival to the stage's own work done; LATENCY: arrival to its answer, stages below included "
                        + "(emulated µs)");
        assertThat(controller.requests()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo(REQUESTS);
            assertThat(r.contentType()).isEqualTo("application/json");
            assertThat(r.body()).isEqualTo("{\"key\":\"thermostat-17\"}");
        });
    }

    @Test
    void printsTheControllersAnswerAsJson() throws Exception {
        CliRun run = controller.run("call", "--app", "iot-ts", "-o", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.readTree(run.out())).isEqualTo(json.readTree(ControllerAnswers.IOT_TS_REPLY));
        assertThat(controller.requests()).singleElement().extracting(FakeController.Request::body).isEqualTo("{}");
    }

    @Test
    void sendsTheEnvelopeGivenWithTheKeyOverridingItsOwn() {
        CliRun run = controller.run("call", "--app", "iot-ts", "-d", "{\"key\": \"a\", \"id\": 7}", "--key", "b");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(controller.requests()).singleElement().extracting(FakeController.Request::body)
                .isEqualTo("{\"key\":\"b\",\"id\":7}");
    }

    @Test
    void readsTheEnvelopeFromStandardInput() {
        CliRun run = FakeController.run(controller.environment(),
                "{\"id\": 9}".getBytes(StandardCharsets.UTF_8), "call", "--app", "iot-ts", "-d", "-");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(controller.requests()).singleElement().extracting(FakeController.Request::body)
                .isEqualTo("{\"id\":9}");
    }

    @Test
    void aMalformedEnvelopeExitsTwoWithOneLineAndSendsNothing() {
        CliRun run = controller.run("call", "--app", "iot-ts", "-d", "{\"key\":");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).singleElement().asString().startsWith("-d: the envelope is not JSON: ");
        assertThat(controller.requests()).isEmpty();
    }

    @Test
    void anEnvelopeThatIsNotAnObjectExitsTwo() {
        CliRun run = controller.run("call", "--app", "iot-ts", "-d", "[1, 2]");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).singleElement().asString().startsWith("-d: the envelope must be a JSON object");
    }

    @Test
    void anEnvelopeTheControllerRefusesExitsTwoNamingTheField() {
        controller.answer("POST", REQUESTS, 400, ControllerAnswers.BAD_KEY);

        CliRun run = controller.run("call", "--app", "iot-ts", "-d", "{\"key\": 17}");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).containsExactly("key: expected a string of at most 256 characters");
    }

    @Test
    void anUnknownAppExitsOne() {
        CliRun run = controller.run("call", "--app", "shop");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines()).containsExactly("e3: error: no app 'shop'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anAppThatDoesNotRunExitsOneWithTheControllersReason() {
        controller.answer("POST", REQUESTS, 409, "{\"error\": \"app 'iot-ts' is PLACING, not RUNNING\"}");

        CliRun run = controller.run("call", "--app", "iot-ts");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines()).containsExactly("e3: error: app 'iot-ts' is PLACING, not RUNNING");
    }

    @Test
    void aFailedStageIsShownAndExitsOne() {
        controller.answer("POST", REQUESTS, 200, ControllerAnswers.IOT_TS_REPLY_ONE_FAILED);

        CliRun run = controller.run("call", "--app", "iot-ts");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.out()).contains("└─ recommend  iot-ts/recommend.2  -        -        -          "
                + "UNREACHABLE: no answer after 8 attempts");
        assertThat(run.errLines()).containsExactly("e3: error: 1 stage of iot-ts failed or could not be reached");
    }

    @Test
    void anUnreachableControllerExitsOneWithOneLine() throws Exception {
        Map<String, String> env = controller.environment();
        env.put(ControllerOptions.SERVER_VARIABLE, FakeController.goneUrl());

        CliRun run = FakeController.run(env, new byte[0], "call", "--app", "iot-ts");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines()).singleElement().asString().startsWith("e3: error: cannot reach the controller");
    }

    @Test
    void aTimeoutOverTwoMinutesIsBadInput() {
        CliRun run = controller.run("call", "--app", "iot-ts", "--timeout", "5m");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("--timeout: at most 120s");
        assertThat(controller.requests()).isEmpty();
    }
}
