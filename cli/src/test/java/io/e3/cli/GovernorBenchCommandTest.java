package io.e3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class GovernorBenchCommandTest {

    @Test
    void badOptionsAreAllReportedAndExitTwo() {
        CliRun run = CliRun.of("bench", "governor", "--types", "kvs,teapot", "--dilations", "0.5",
                "--window", "100ms", "--address-block", "300");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--types: unknown type(s) teapot").contains("--dilations: 0.5 is not >= 1")
                .contains("--window at least 500ms")
                .contains("--address-block: must be in [1, 254] (the cluster listens on 127.B.0.0/16), got 300");
    }

    @Test
    void aShortRunReportsBothNodesAndTheRatio() throws Exception {
        String block = String.valueOf(ThreadLocalRandom.current().nextInt(100, 250));
        CliRun run = CliRun.of("bench", "governor", "--types", "recommend", "--dilations", "100",
                "--warmup", "1s", "--window", "2s", "--address-block", block, "-o", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(run.out()).get(0);
        assertThat(r.path("type").asText()).isEqualTo("recommend");
        assertThat(r.path("dilation").asDouble()).isEqualTo(100);
        assertThat(r.path("host").path("completed").asLong()).isPositive();
        assertThat(r.path("smartNic").path("completed").asLong()).isPositive();
        assertThat(r.path("profileRatio").asDouble()).isEqualTo(12.8e3 / 12 / (4.1e3 / 12));
        assertThat(r.path("measuredRatio").asDouble()).isPositive();
    }
}
