package io.e3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OrchestratorBenchCommandTest {

    @Test
    void aSmallRunIngestsEveryHeartbeatAndDecidesOnTheStarvingServers() throws Exception {
        CliRun run = CliRun.of("bench", "orchestrator", "--servers", "2000", "--rounds", "10", "-o", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertThat(r.path("heartbeats").asLong()).isEqualTo(20_000);
        assertThat(r.path("offeredPerSecond").asDouble()).isEqualTo(40_000);
        assertThat(r.path("stale").asLong()).isZero();
        assertThat(r.path("decisions").asLong())
                .as("servers 7 and 1007 queue from round 3: a move after 3 beats, then the next-hottest after 3 more")
                .isEqualTo(4);
        assertThat(r.path("p99Micros").asDouble()).isPositive();
    }

    @Test
    void overUdpTheRealControllerTakesHeartbeatsAndDecides() throws Exception {
        String block = String.valueOf(java.util.concurrent.ThreadLocalRandom.current().nextInt(100, 250));
        CliRun run = CliRun.of("bench", "orchestrator", "--udp", "--servers", "200", "--seconds", "2",
                "--address-block", block, "-o", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertThat(r.path("offered").asLong()).isPositive();
        assertThat(r.path("heartbeatsPerDatagram").asInt()).as("server batches: a Type2 server's five nodes").isEqualTo(5);
        assertThat(r.path("offered").asLong()).isEqualTo(5 * r.path("datagrams").asLong());
        assertThat(r.path("rateAsked").asLong()).as("200 servers x 5 nodes at 50 ms").isEqualTo(20_000);
        assertThat(r.path("received").asLong()).isPositive().isLessThanOrEqualTo(r.path("offered").asLong());
        assertThat(r.path("accepted").asLong()).as("signed, from the nodes' addresses, numbered on")
                .isEqualTo(r.path("received").asLong());
        assertThat(r.path("misaddressed").asLong() + r.path("forged").asLong() + r.path("replayed").asLong()
                + r.path("malformed").asLong()).isZero();
        assertThat(r.path("decisions").asInt()).as("server 7 starves its host: the node ids match").isPositive();
    }

    @Test
    void badUdpOptionsExitTwoBeforeAnythingStarts() {
        CliRun run = CliRun.of("bench", "orchestrator", "--udp", "--batch", "6", "--rate", "-1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--batch: heartbeats per datagram must be in [1, 5]")
                .contains("--rate: heartbeats a second must be in [0, 100000000]");
    }

    @Test
    void badOptionsExitTwo() {
        CliRun run = CliRun.of("bench", "orchestrator", "--servers", "0", "--period-ms", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--servers: 0 is not in [1, 200000]").contains("--period-ms: 0 is not >= 1");
    }
}
