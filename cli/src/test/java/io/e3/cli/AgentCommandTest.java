package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.e3.cli.EmulatedRuns.CLUSTER;
import static org.assertj.core.api.Assertions.assertThat;

class AgentCommandTest {

    @Test
    void runsAClusterAsOneProcessPerPartStartingWithTheSwitchAndOneNode() throws Exception {
        String block = String.valueOf(EmulatedRuns.freeBlock());
        CliRun.Background tor = CliRun.inBackground("agent", "--cluster", CLUSTER, "--node", "switch", "--json",
                "--address-block", block, "--token", "t0k", "--exit-after", "3s");
        CliRun.Background nic = CliRun.inBackground("agent", "--cluster", CLUSTER, "--node", "s1/nic0", "--json",
                "--address-block", block, "--token", "t0k", "--exit-after", "3s");
        JsonNode torDoc = EmulatedRuns.document(tor);
        JsonNode nicDoc = EmulatedRuns.document(nic);

        assertThat(torDoc.get("nodes")).isEmpty();
        assertThat(nicDoc.get("nodes")).hasSize(1);
        JsonNode node = nicDoc.get("nodes").get(0);
        assertThat(node.get("id").asText()).isEqualTo("s1/nic0");
        assertThat(node.get("kind").asText()).isEqualTo("SMARTNIC");
        assertThat(node.get("address").asText()).isEqualTo("127." + block + ".1.3");
        assertThat(nicDoc.get("switch")).isEqualTo(torDoc.get("switch"));
        assertThat(EmulatedRuns.get(node.get("metricsUrl").asText(), null).body()).contains("e3_");
        assertThat(EmulatedRuns.get(torDoc.get("switch").get("url").asText() + "/metrics", null).body())
                .contains("e3_switch_");

        for (CliRun done : new CliRun[] {tor.await(Duration.ofSeconds(30)), nic.await(Duration.ofSeconds(30))}) {
            assertThat(done.exitCode()).as(done.err()).isZero();
            assertThat(done.err()).isEmpty();
        }
    }

    @Test
    void tableNamesTheNodeItsUrlsAndWhereTheSwitchIs() {
        String block = String.valueOf(EmulatedRuns.freeBlock());
        CliRun run = CliRun.of("agent", "--cluster", CLUSTER, "--node", "s0/host", "--address-block", block,
                "--token", "t0k", "--exit-after", "200ms");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("t0k").contains("node agent s0/host listening",
                "token: as given, not shown (--show-token prints it, -o json holds it)\n",
                "s0/host  HOST  s0      127." + block + ".1.0  http://127." + block + ".1.0:7080  http://127."
                        + block + ".1.0:7080/metrics",
                "Datagrams go through the switch at 127." + block + ".0.1; run it with 'e3 agent --node switch'");
    }

    @Test
    void unknownNodeIsBadInputNamingTheValidNodes() {
        CliRun run = CliRun.of("agent", "--cluster", CLUSTER, "--node", "s9/host", "--exit-after", "200ms");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).containsExactly("--node: no compute node 's9/host' in cluster 3x-type1-smartnic; "
                + "valid: switch, s0/host, s0/nic0, s1/host, s1/nic0, s2/host, s2/nic0");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badDilationIsBadInputReportedWithEveryOtherProblem() {
        CliRun run = CliRun.of("agent", "--cluster", CLUSTER, "--node", "s9/host", "--dilation", "0",
                "--exit-after", "200ms");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).hasSize(2);
        assertThat(run.errLines().get(0)).isEqualTo("--dilation: must be a number >= 1, got 0.0");
        assertThat(run.errLines().get(1)).startsWith("--node: no compute node 's9/host'");
    }

    @Test
    void dilationThatIsNoNumberIsBadInput() {
        CliRun run = CliRun.of("agent", "--cluster", CLUSTER, "--node", "s0/host", "--dilation", "fast");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("Invalid value for option '--dilation': 'fast' is not a double",
                "(try 'e3 agent --help')");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void showTokenPrintsTheToken() {
        String block = String.valueOf(EmulatedRuns.freeBlock());
        CliRun run = CliRun.of("agent", "--cluster", CLUSTER, "--node", "s0/host", "--address-block", block,
                "--token", "t0k", "--show-token", "--exit-after", "200ms");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("token: t0k\n");
    }

    @Test
    void tokenWithASpaceIsBadInput() {
        CliRun run = CliRun.of("agent", "--cluster", CLUSTER, "--node", "switch", "--token", "two words");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).containsExactly("--token: the token must be visible ASCII characters without "
                + "spaces (it is sent in an HTTP header)");
    }
}
