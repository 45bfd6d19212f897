package io.e3.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.emu.Emulation;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.rpc.Reply;
import io.e3.model.topology.ServerTypes;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A traced envelope through a 3-stage chain over four nodes: every stage's answer carries its emulated latencies,
 * each stage's latency covers its own work and the stages below it; an untraced envelope gets the answer it always had.
 */
class StageTraceIT {

    @Test
    void aTracedRequestGetsEveryStagesLatenciesAndAnUntracedOneNone() throws Exception {
        try (EmbeddedCluster c = TestClusters.start(ServerTypes.TYPE1_SMARTNIC, 3, Emulation.DEFAULT)) {
            AppRoutes routes = TestClusters.deployChain(c);
            AppClient client = c.client(0);

            JsonNode traced = send(client, routes, "{\"key\": \"k\", \"id\": 1, \"trace\": true}");
            JsonNode ids = traced.path("downstream").path(0);
            JsonNode kv = ids.path("downstream").path(0);
            assertThat(traced.path("failures").asInt(-1)).as(traced.toString()).isZero();
            assertThat(kv.path("instance").asText()).as(traced.toString()).startsWith("chain/kv.");
            for (JsonNode stage : new JsonNode[] {traced, ids, kv}) {
                assertThat(stage.path("execMicros").asDouble(-1)).as(stage.toString()).isPositive();
                assertThat(stage.path("latencyMicros").asDouble(-1)).as(stage.toString())
                        .isGreaterThanOrEqualTo(stage.path("execMicros").asDouble());
            }
            assertThat(traced.get("latencyMicros").asDouble()).as("the entry waits for the stages below it")
                    .isGreaterThan(ids.get("latencyMicros").asDouble());
            assertThat(ids.get("latencyMicros").asDouble()).isGreaterThan(kv.get("latencyMicros").asDouble());

            JsonNode plain = send(client, routes, "{\"key\": \"k\", \"id\": 2}");
            assertThat(plain.toString()).as("no latencies without a trace").doesNotContain("Micros");
            assertThat(plain.path("downstream").path(0).path("downstream").path(0).path("instance").asText())
                    .startsWith("chain/kv.");
        }
    }

    private static JsonNode send(AppClient client, AppRoutes routes, String envelope) throws Exception {
        Reply r = client.call(routes, "nat", "k", 1, envelope.getBytes(StandardCharsets.UTF_8))
                .get(1, TimeUnit.MINUTES);
        assertThat(r.ok()).as(r.text()).isTrue();
        return TestClusters.JSON.readTree(r.payload());
    }
}
