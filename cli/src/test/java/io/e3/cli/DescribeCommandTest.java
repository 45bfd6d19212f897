package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DescribeCommandTest {

    @Test
    void describesTwoType2ServersAsTable54Says() {
        CliRun run = CliRun.of("describe", "cluster", "-f", "../examples/clusters/2x-type2-smartnic.yaml");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains(
                "2 servers in 1 rack, 10 compute nodes: 2 hosts, 8 SmartNICs",
                "cores: 32 beefy, 96 wimpy; memory 288 GiB; network 80 Gb/s",
                "power: idle 290 W, peak 504 W; cost $13,500");
        assertThat(run.out().lines().filter(l -> l.contains("SMARTNIC"))).hasSize(8);
        assertThat(run.out().lines().filter(l -> l.matches("\\s+s\\d/host\\s+HOST.*"))).hasSize(2);
    }

    @Test
    void describesAClusterAsJson() throws Exception {
        CliRun run = CliRun.of("describe", "cluster", "-f", "../examples/clusters/2x-type2-smartnic.yaml",
                "-o", "json");
        assertThat(run.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("computeNodes").asInt()).isEqualTo(10);
        assertThat(json.get("smartNics").asInt()).isEqualTo(8);
        assertThat(json.get("idleWatts").asDouble()).isEqualTo(290);
        assertThat(json.get("peakWatts").asDouble()).isEqualTo(504);
        assertThat(json.get("costUsd").asDouble()).isEqualTo(13_500);
        JsonNode nic = json.get("serverList").get(1).get("nodes").get(4);
        assertThat(nic.get("id").asText()).isEqualTo("s1/nic3");
        assertThat(nic.get("kind").asText()).isEqualTo("SMARTNIC");
        assertThat(nic.get("memoryMiB").asLong()).isEqualTo(4096);
    }

    @Test
    void describesAnAppWithItsInstanceCount() {
        CliRun run = CliRun.of("describe", "app", "-f", "../examples/apps/iot-ts.yaml");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("5 services, 4 channels, 108 instances (54 primary, 54 backup); entry: "
                + "gateway", "gateway -> store", "shard-keyed", "10,000 req/s");
    }

    @Test
    void demoPlanOnlyDescribesTheBuiltInClusterAndApp() {
        CliRun run = CliRun.of("demo", "--plan-only");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("E3 demo: iot-ts on 3x-type1-smartnic",
                "3 servers in 1 rack, 6 compute nodes: 3 hosts, 3 SmartNICs", "108 instances",
                "Placement by hcm on 3x-type1-smartnic: 108 instances placed, 0 unplaced");
    }

    @Test
    void demoTakesAnotherClusterFile() {
        CliRun run = CliRun.of("demo", "--plan-only", "--cluster", "../examples/clusters/2x-type2-smartnic.yaml");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("iot-ts on 2x-type2-smartnic");
    }
}
