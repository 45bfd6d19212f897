package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateCommandTest {

    private static final String CLUSTER = "../examples/clusters/3x-type1-smartnic.yaml";
    private static final String APP = "../examples/apps/nfv-fin.yaml";

    @Test
    void runReportsThroughputLatencyAndModelledPower() throws Exception {
        CliRun run = CliRun.of("simulate", "--cluster", CLUSTER, "--app", APP, "--rate", "5000", "--arrivals",
                "constant", "--duration", "2s", "--warmup", "500ms", "-o", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("scenario").get("instances").asInt()).isEqualTo(72);
        // Far below NFV-FIN's capacity on this cluster, so every request offered is served.
        assertThat(doc.get("throughput").asDouble()).isBetween(4_900.0, 5_100.0);
        assertThat(doc.get("latency").get("p99Micros").asDouble()).isPositive();
        assertThat(doc.get("power").get("modelled").asBoolean()).isTrue();
        assertThat(doc.get("nodes")).hasSize(6);

        CliRun table = CliRun.of("simulate", "--cluster", CLUSTER, "--app", APP, "--rate", "5000", "--duration", "1s");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("Throughput", "p99", "modelled", "Busiest nodes");
    }

    @Test
    void sameSeedSameResult() {
        String[] args = {"simulate", "--cluster", CLUSTER, "--app", APP, "--rate", "3000", "--duration", "1s",
                "--seed", "7", "-o", "json"};
        CliRun a = CliRun.of(args);
        CliRun b = CliRun.of(args);
        assertThat(a.exitCode()).as(a.err()).isZero();
        String withoutWallTime = "\"wallSeconds\"[^,]*,|\"eventsPerSecond\"[^,]*,|\"placementMillis\"[^,}]*";
        assertThat(a.out().replaceAll(withoutWallTime, "")).isEqualTo(b.out().replaceAll(withoutWallTime, ""));
    }

    @Test
    void badInputExitsWithTwoAndOneLine() {
        assertBad("--rate: ", "simulate", "--cluster", CLUSTER, "--app", APP, "--rate", "0");
        assertBad("--duration", "simulate", "--cluster", CLUSTER, "--app", APP, "--rate", "10", "--duration",
                "-1s");
        assertBad("--fail", "simulate", "--cluster", CLUSTER, "--app", APP, "--rate", "10", "--fail", "s1/host");
        assertBad("--server-type", "simulate", "--fattree", "10", "--server-type", "nope", "--app", APP,
                "--rate", "10");
        assertBad("--fattree", "simulate", "--fattree", "0", "--app", APP, "--rate", "10");
        assertBad("nope.yaml", "simulate", "--cluster", CLUSTER, "--app", "nope.yaml", "--rate", "10");
        assertBad("", "simulate", "--cluster", CLUSTER, "--fattree", "4", "--app", APP, "--rate", "10");
        assertBad("missing --cluster or --fattree, --rate, --closed or --knee, --app (or --validate)", "simulate");
        assertBad("missing --rate, --closed or --knee (or --validate)", "simulate", "--cluster", CLUSTER, "--app",
                APP);
        assertBad("--validate: needs a cluster manifest", "simulate", "--validate", "--fattree", "4");
        assertBad("--validate: runs its own knee searches", "simulate", "--validate", "--rate", "10");
        assertBad("--real-rate: must be 1 to 5000", "simulate", "--validate", "--real-rate", "0");
        assertBad("--refinements: must be 0 to 10", "simulate", "--validate", "--refinements", "-1");
        assertBad("--address-block: must be in [1, 254]", "simulate", "--validate", "--address-block", "0");
    }

    private static void assertBad(String mentions, String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains(mentions).doesNotContain("Exception", "\tat ");
    }
}
