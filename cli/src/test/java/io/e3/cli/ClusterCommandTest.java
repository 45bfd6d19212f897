package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.e3.cli.EmulatedRuns.CLUSTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class ClusterCommandTest {

    private static final List<String> NODES = List.of("s0/host", "s0/nic0", "s1/host", "s1/nic0", "s2/host",
            "s2/nic0");

    @Test
    void upPrintsOneJsonDocumentAndServesMetricsUntilItsTimeIsUp() throws Exception {
        int b = EmulatedRuns.freeBlock();
        CliRun.Background run = CliRun.inBackground("cluster", "up", "--cluster", CLUSTER, "--json",
                "--address-block", String.valueOf(b), "--token", "test-token", "--exit-after", "3s");
        JsonNode doc = EmulatedRuns.document(run);

        assertThat(doc.fieldNames()).toIterable().containsExactly("cluster", "dilation", "token", "switch", "nodes");
        assertThat(doc.get("cluster").asText()).isEqualTo("3x-type1-smartnic");
        assertThat(doc.get("dilation").asDouble()).isEqualTo(20.0);
        assertThat(doc.get("token").asText()).isEqualTo("test-token");
        assertThat(doc.get("switch").get("address").asText()).isEqualTo("127." + b + ".0.1");
        assertThat(doc.get("switch").get("url").asText()).isEqualTo("http://127." + b + ".0.1:7080");
        List<String> ids = new ArrayList<>();
        for (JsonNode n : doc.get("nodes")) {
            ids.add(n.get("id").asText());
            assertThat(n.fieldNames()).toIterable()
                    .containsExactly("id", "kind", "server", "address", "url", "metricsUrl");
            assertThat(n.get("kind").asText()).isEqualTo(n.get("id").asText().endsWith("/host") ? "HOST" : "SMARTNIC");
            assertThat(n.get("server").asText()).isEqualTo(n.get("id").asText().split("/")[0]);
            assertThat(n.get("address").asText()).startsWith("127." + b + ".1.");
            assertThat(n.get("url").asText()).isEqualTo("http://" + n.get("address").asText() + ":7080");
            assertThat(n.get("metricsUrl").asText()).isEqualTo(n.get("url").asText() + "/metrics");
        }
        assertThat(ids).containsExactlyElementsOf(NODES);

        JsonNode nic = doc.get("nodes").get(1);
        EmulatedRuns.Response metrics = EmulatedRuns.get(nic.get("metricsUrl").asText(), null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("e3_");
        EmulatedRuns.Response status = EmulatedRuns.get(nic.get("url").asText() + "/v1/status", "test-token");
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        assertThat(status.body()).contains("\"node\":\"s0/nic0\"");
        assertThat(EmulatedRuns.get(nic.get("url").asText() + "/v1/status", "wrong").status()).isEqualTo(401);

        CliRun done = run.await(Duration.ofSeconds(30));
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(done.err()).isEmpty();
        try (MappingIterator<JsonNode> docs = EmulatedRuns.JSON.readerFor(JsonNode.class).readValues(done.out())) {
            assertThat(docs.readAll()).containsExactly(doc);
        }
    }

    @Test
    void upTableShowsEveryPartAndHidesAGeneratedToken() {
        assumeThat(System.getenv(RunOptions.TOKEN_VARIABLE)).isNull();
        int b = EmulatedRuns.freeBlock();
        CliRun run = CliRun.of("cluster", "up", "--cluster", CLUSTER, "--address-block", String.valueOf(b),
                "--dilation", "5", "--exit-after", "200ms");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(
                "Cluster 3x-type1-smartnic on 127." + b + ".0.0/16, dilation D=5: switch and 6 node agents listening",
                "switch   SWITCH    -       127." + b + ".0.1  http://127." + b + ".0.1:7080",
                "s2/nic0  SMARTNIC  s2      127." + b + ".1.5  http://127." + b + ".1.5:7080",
                "Running for 200 ms");
        assertThat(run.out()).contains("token: generated, not shown (choose one with --token or E3_TOKEN, or "
                + "--show-token prints it, -o json holds it)").doesNotContainPattern("[0-9a-f]{32}");
    }

    @Test
    void refusesAnAddressBlockAnotherClusterIsUsing() throws Exception {
        int b = EmulatedRuns.freeBlock();
        String block = String.valueOf(b);
        CliRun.Background first = CliRun.inBackground("cluster", "up", "--cluster", CLUSTER, "--json",
                "--address-block", block, "--exit-after", "3s");
        EmulatedRuns.document(first);

        CliRun second = CliRun.of("cluster", "up", "--cluster", CLUSTER, "--address-block", block, "--exit-after",
                "200ms");
        assertThat(second.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(second.errLines()).hasSize(1 + NODES.size()).allSatisfy(line -> assertThat(line)
                .contains("cannot listen on UDP 7000 and TCP 7080", "in use",
                        "another cluster may be running on 127." + b + ".0.0/16 (choose another --address-block)"));
        assertThat(second.errLines().get(0)).startsWith("switch 127." + b + ".0.1: ");
        assertThat(second.out()).isEmpty();

        assertThat(first.await(Duration.ofSeconds(30)).exitCode()).isZero();
    }

    @Test
    void reportsEveryBadOptionAtOnce() {
        CliRun run = CliRun.of("cluster", "up", "--cluster", CLUSTER, "--dilation", "0.5", "--address-block", "255",
                "--heartbeat-ms", "0", "--exit-after", "200ms");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).containsExactly(
                "--dilation: must be a number >= 1, got 0.5",
                "--address-block: must be in [1, 254] (the cluster listens on 127.B.0.0/16), got 255",
                "--heartbeat-ms: must be >= 1, got 0");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void rejectsAMissingClusterFile() {
        CliRun run = CliRun.of("cluster", "up", "--cluster", "does/not/exist.yaml", "--exit-after", "200ms");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).containsExactly("does/not/exist.yaml: no such file");
    }

    @Test
    void rejectsAnAppManifestGivenAsTheCluster() {
        CliRun run = CliRun.of("cluster", "up", "--cluster", "../examples/apps/iot-ts.yaml", "--exit-after", "200ms");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).containsExactly(
                "../examples/apps/iot-ts.yaml: no Cluster document in it (found [MicroserviceApp 'iot-ts'])");
    }

    @Test
    void clusterAloneAsksWhatToDo() {
        CliRun run = CliRun.of("cluster");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("say what to do: up");
    }
}
