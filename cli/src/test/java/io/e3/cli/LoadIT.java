package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.cli.PackagedCli.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.e3.cli.LiveCluster.PATIENCE;
import static io.e3.cli.LiveCluster.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * {@code e3 load} and {@code e3 call} from the packaged jar against a running cluster and controller
 * ({@link LiveCluster}), with a one-instance app, so that stalling the instance's node stalls the app.
 */
class LoadIT {

    private static final String APP = "kv-one";
    private static final Duration STALL = Duration.ofSeconds(1);
    /** A progress line of the measured run, the first about 1 s in (the warm-up's lines start with "warming up"). */
    private static final Pattern MEASURING = Pattern.compile("(^|\r)\\d+ s: ");

    private static LiveCluster live;
    private static String node;

    @BeforeAll
    static void startClusterAndApp() throws Exception {
        // Heartbeats off, so no migration or failover, both of which hold requests too: the only stall is the test's.
        live = LiveCluster.start(Map.of("e3.heartbeats.enabled", "false"));
        live.apply(PackagedCli.REPO.resolve("cli/src/test/resources/load/kv-one.yaml"), APP);
        node = live.nodeOf(APP + "/kv.0");
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    @Test
    void anOpenLoopShowsAOneSecondStallInItsTailWhereAClosedLoopOverTheSameStallHidesIt() throws Exception {
        JsonNode open = loadThroughAStall("--rate", "1000", "--arrivals", "constant");
        JsonNode closed = loadThroughAStall("--closed", "4");

        for (JsonNode r : List.of(open, closed)) {
            assertThat(r.path("ok").asLong()).as(r.toString()).isEqualTo(r.path("sent").asLong()).isPositive();
            // Both runs met the stall: a request that came in as it began waited it out.
            assertThat(r.path("maxMicros").asDouble()).as(r.toString()).isGreaterThanOrEqualTo(900_000);
        }
        assertThat(open.path("fellBehind").asBoolean()).as(open.toString()).isFalse();
        // Open loop: the ~1,000 requests due during the stall count from their intended times, 0 to 1 s late.
        assertThat(open.path("p99Micros").asDouble()).as(open.toString()).isGreaterThanOrEqualTo(300_000);
        // Closed loop: the sender waits with the target, so only the 4 requests in flight saw the stall.
        assertThat(closed.path("p99Micros").asDouble()).as(closed.toString()).isLessThan(300_000)
                .isLessThan(open.path("p99Micros").asDouble() / 4);
        System.out.printf("1 s stall of %s at 1,000 req/s: open loop p99 %.1f ms, p99.9 %.1f ms, max %.1f ms "
                        + "(%d requests); closed loop (4 outstanding) p99 %.1f ms, p99.9 %.1f ms, max %.1f ms "
                        + "(%d requests)%n", node, open.path("p99Micros").asDouble() / 1e3,
                open.path("p999Micros").asDouble() / 1e3, open.path("maxMicros").asDouble() / 1e3,
                open.path("sent").asLong(), closed.path("p99Micros").asDouble() / 1e3,
                closed.path("p999Micros").asDouble() / 1e3, closed.path("maxMicros").asDouble() / 1e3,
                closed.path("sent").asLong());
    }

    /** An 8 s {@code e3 load} of the given shape; about 1 s into its measured run, the app's node stalls for 1 s. */
    private static JsonNode loadThroughAStall(String... shape) throws Exception {
        List<String> args = new ArrayList<>(List.of("load", "--app", APP, "--duration", "8s", "-o", "json",
                "--server", live.url(), "--token", TOKEN));
        args.addAll(List.of(shape));
        try (PackagedCli.Running load = PackagedCli.start(args.toArray(String[]::new))) {
            await().atMost(PATIENCE).until(() -> !load.alive() || MEASURING.matcher(load.errSoFar()).find());
            assertThat(load.alive()).as(load.errSoFar()).isTrue();
            Duration held = live.stall(node, STALL);
            assertThat(held).isGreaterThanOrEqualTo(STALL);
            Result r = load.await();
            assertSucceeded(r);
            return EmulatedRuns.JSON.readTree(r.out());
        }
    }

    @Test
    void anOpenLoopReportsOneJsonDocumentWithEveryField() throws Exception {
        Result r = PackagedCli.e3("load", "--app", APP, "--rate", "200", "--arrivals", "constant", "--duration", "3s",
                "--warmup", "1s", "-o", "json", "--server", live.url(), "--token", TOKEN);

        assertSucceeded(r);
        JsonNode d = EmulatedRuns.JSON.readTree(r.out());
        List<String> fields = new ArrayList<>();
        d.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("mode", "offeredRate", "outstanding", "achievedSendRate",
                "durationSeconds", "sent", "ok", "errors", "timeouts", "throughput", "meanMicros", "p50Micros",
                "p90Micros", "p99Micros", "p999Micros", "maxMicros", "fellBehind", "message");
        assertThat(d.path("mode").asText()).isEqualTo("OPEN_LOOP");
        assertThat(d.path("offeredRate").asDouble()).isEqualTo(200);
        assertThat(d.path("outstanding").asInt()).isZero();
        assertThat(d.path("durationSeconds").asDouble()).isCloseTo(3, within(0.5));
        assertThat(d.path("achievedSendRate").asDouble()).isCloseTo(200, within(200 * 0.02));
        assertThat(d.path("sent").asLong()).isCloseTo(600, within(12L));
        assertThat(d.path("ok").asLong()).isEqualTo(d.path("sent").asLong());
        assertThat(d.path("errors").asLong()).isZero();
        assertThat(d.path("timeouts").asLong()).isZero();
        assertThat(d.path("throughput").asDouble()).isBetween(150.0, 210.0);
        double[] latencies = {d.path("p50Micros").asDouble(), d.path("p90Micros").asDouble(),
                d.path("p99Micros").asDouble(), d.path("p999Micros").asDouble(), d.path("maxMicros").asDouble()};
        assertThat(latencies[0]).isPositive();
        assertThat(latencies).isSorted();
        assertThat(d.path("meanMicros").asDouble()).isBetween(latencies[0] / 10, latencies[4]);
        assertThat(d.path("fellBehind").asBoolean()).isFalse();
        assertThat(d.path("message").asText()).startsWith("kept up: sent ");
    }

    @Test
    void aCallIsAnsweredByTheAppsOneStage() throws Exception {
        Result r = PackagedCli.e3("call", "--app", APP, "-o", "json", "--server", live.url(), "--token", TOKEN);

        assertSucceeded(r);
        JsonNode d = EmulatedRuns.JSON.readTree(r.out());
        assertThat(d.path("stages").asInt()).as(r.out()).isEqualTo(1);
        assertThat(d.path("failures").asInt()).isZero();
        assertThat(d.path("reply").path("node").asText()).isEqualTo(node);
    }

    @Test
    void badInputToLoadAndCallExitsOneOrTwoWithOneLineAndNoStackTrace() throws Exception {
        String server = live.url();
        String dead = live.deadUrl();
        assertBad(1, "e3: error: no app 'shop'", "load", "--app", "shop", "--rate", "10", "--server", server);
        assertBad(1, "e3: error: no app 'shop'", "call", "--app", "shop", "--server", server);
        assertBad(1, "e3: error: cannot reach the controller at " + dead, "load", "--app", APP, "--rate", "10",
                "--server", dead);
        assertBad(1, "e3: error: cannot reach the controller at " + dead, "call", "--app", APP, "--server", dead);
        assertBad(2, "--rate: must be more than 0", "load", "--app", APP, "--rate", "0", "--server", server);
        assertBad(2, "--rate: must be more than 0", "load", "--app", APP, "--rate", "-5", "--server", server);
        assertBad(2, "load: Invalid value for option '--duration': '-1s' is not a duration", "load", "--app", APP,
                "--rate", "10", "--duration", "-1s", "--server", server);
        assertBad(2, "call: Invalid value for option '--timeout': '-1s' is not a duration", "call", "--app", APP,
                "--timeout", "-1s", "--server", server);
        assertBad(2, "-d: the envelope is not JSON: ", "call", "--app", APP, "-d", "{\"key\":", "--server", server);
        assertBad(2, "-d: the envelope must be a JSON object", "call", "--app", APP, "-d", "[1, 2]", "--server",
                server);
        assertBad(2, "key: expected a string", "call", "--app", APP, "-d", "{\"key\": 17}", "--server", server);
    }

    /**
     * {@code e3 args} with the token exits with {@code code} and one line that starts with {@code message}, and no
     * stack trace.
     */
    private static void assertBad(int code, String message, String... args) throws Exception {
        List<String> withToken = new ArrayList<>(List.of(args));
        withToken.addAll(List.of("--token", TOKEN));
        Result r = PackagedCli.e3(withToken.toArray(String[]::new));
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(code);
        assertThat(r.errLines()).as(String.join(" ", args)).isNotEmpty();
        assertThat(r.errLines()).as(r.err()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith(message);
        assertNoStackTrace(r);
        assertThat(r.out()).isEmpty();
    }

    private static void assertSucceeded(Result r) {
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertNoStackTrace(r);
    }

    private static void assertNoStackTrace(Result r) {
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }
}
