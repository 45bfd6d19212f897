package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlaceCommandTest {

    private static final String CLUSTER = "../examples/clusters/3x-type1-smartnic.yaml";

    @Test
    void jsonDocumentIsEnoughToCheckThePlacement() throws Exception {
        CliRun run = CliRun.of("place", "--cluster", CLUSTER, "--app", "../examples/apps/iot-ts.yaml",
                "../examples/apps/nfv-fin.yaml", "-o", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("algorithm").asText()).isEqualTo("hcm");
        assertThat(doc.get("nodes")).hasSize(6);
        assertThat(doc.get("instances").size() + doc.get("unplaced").size()).isEqualTo(108 + 72);
        assertThat(doc.get("edges")).hasSize(4 + 2);
        assertThat(doc.get("metrics").has("communicationCost")).isTrue();
        assertThat(doc.get("metrics").has("elapsedMillis")).isTrue();

        // From the document alone: no node holds more than its capacity; backups avoid their primary's server.
        Map<String, JsonNode> nodes = new HashMap<>();
        doc.get("nodes").forEach(n -> nodes.put(n.get("id").asText(), n));
        Map<String, double[]> used = new HashMap<>();
        Map<String, String> serverOf = new HashMap<>();
        for (JsonNode i : doc.get("instances")) {
            double[] u = used.computeIfAbsent(i.get("node").asText(), k -> new double[2]);
            u[0] += i.get("demand").get("cores").asDouble();
            u[1] += i.get("demand").get("memoryMiB").asDouble();
            serverOf.put(i.get("id").asText(), nodes.get(i.get("node").asText()).get("server").asText());
        }
        used.forEach((id, u) -> {
            JsonNode capacity = nodes.get(id).get("capacity");
            assertThat(u[0]).isLessThanOrEqualTo(capacity.get("cores").asDouble() + 1e-9);
            assertThat(u[1]).isLessThanOrEqualTo(capacity.get("memoryMiB").asDouble());
        });
        for (JsonNode i : doc.get("instances")) {
            if (i.get("role").asText().equals("backup")) {
                assertThat(serverOf.get(i.get("id").asText()))
                        .isNotEqualTo(serverOf.get(i.get("primary").asText()));
            }
        }
    }

    @Test
    void tableNamesEveryUsedNodeAndTheModelledPower() {
        CliRun run = CliRun.of("place", "--cluster", CLUSTER, "--app", "../examples/apps/rta-shm.yaml");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Placement by hcm on 3x-type1-smartnic: 84 instances placed, 0 unplaced",
                "rta-shm", "modelled power", "not measured");
    }

    @Test
    void explainsInstancesThatDoNotFit() {
        CliRun run = CliRun.of("place", "--cluster", "../examples/clusters/type1-smartnic.yaml", "--app",
                "../examples/apps/iot-ts.yaml");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Unplaced:", "iot-ts/gateway.0.backup1: no host fits (1 by fault domain)");
    }

    @Test
    void rejectsAnUnknownAlgorithm() {
        CliRun run = CliRun.of("place", "--cluster", CLUSTER, "--app", "../examples/apps/iot-ts.yaml",
                "--algorithm", "magic");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("--algorithm: unknown strategy 'magic'; expected one of: hcm, hcm-hosts, annealing, ilp, ilp-comm, ilp-energy");
    }

    @Test
    void rejectsTheSameAppTwice() {
        CliRun run = CliRun.of("place", "--cluster", CLUSTER, "--app", "../examples/apps/iot-ts.yaml",
                "../examples/apps/iot-ts.yaml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("app 'iot-ts' is given twice");
    }

    @Test
    void rejectsABadTimeLimit() {
        CliRun run = CliRun.of("place", "--cluster", CLUSTER, "--app", "../examples/apps/iot-ts.yaml",
                "--time-limit", "soon");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("'soon' is not a duration");
    }
}
