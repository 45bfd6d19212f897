package io.e3.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.agent.emu.Emulation;
import io.e3.model.topology.AddressPlan;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.routing.Target;
import io.e3.agent.rpc.Reply;
import io.e3.microservices.Microservice;
import io.e3.microservices.MicroserviceCatalog;
import io.e3.model.app.MicroserviceType;
import io.e3.model.topology.ServerTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three Type1 servers (3 hosts + 3 SmartNICs) in one JVM, a 3-stage chain deployed across them
 * through the control API, 10,000 requests, 10,000 correct responses.
 */
class ChainIT {

    private static final int REQUESTS = 10_000;
    @Test
    void tenThousandRequestsThroughAThreeStageChainAllAnsweredCorrectly() throws Exception {
        try (EmbeddedCluster c = TestClusters.start(ServerTypes.TYPE1_SMARTNIC, 3, Emulation.DEFAULT)) {
            AppRoutes routes = TestClusters.deployChain(c);

            Microservice nat = MicroserviceCatalog.describe(MicroserviceType.NATV4).create();
            Microservice ids = MicroserviceCatalog.describe(MicroserviceType.NIDS).create();
            Microservice kv = MicroserviceCatalog.describe(MicroserviceType.KVS).create();
            AppClient client = c.client(0);
            Semaphore window = new Semaphore(64);
            List<CompletableFuture<String>> checks = new ArrayList<>();
            Random random = new Random(5);
            for (int i = 0; i < REQUESTS; i++) {
                String key = "user-" + i;
                ObjectNode stages = TestClusters.JSON.createObjectNode();
                stages.set("nat", MicroserviceCatalog.describe(MicroserviceType.NATV4).sampler().sample(random, 256));
                stages.set("ids", MicroserviceCatalog.describe(MicroserviceType.NIDS).sampler().sample(random, 512));
                stages.set("kv", TestClusters.JSON.createObjectNode().put("op", "put").put("key", key)
                        .put("value", "v" + i));
                ObjectNode envelope = TestClusters.JSON.createObjectNode().put("key", key).put("id", i);
                envelope.set("stages", stages);
                JsonNode wantNat = wire(nat.handle(stages.get("nat")));
                JsonNode wantIds = wire(ids.handle(stages.get("ids")));
                JsonNode wantKv = wire(kv.handle(stages.get("kv")));
                String wantShard = AppRoutes.shard(routes.services().get("kv").instances(), key, 0).instance();
                window.acquire();
                CompletableFuture<Reply> reply = client.call(routes, "nat", key, i,
                        TestClusters.JSON.writeValueAsBytes(envelope));
                checks.add(reply.thenApply(r -> {
                    window.release();
                    return check(r, wantNat, wantIds, wantKv, wantShard);
                }));
            }
            CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            List<String> wrong = checks.stream().map(CompletableFuture::join).filter(s -> !s.isEmpty()).toList();
            assertThat(wrong).as("wrong or failed responses").isEmpty();
            assertThat(checks).hasSize(REQUESTS);
            long served = c.agents().values().stream()
                    .flatMap(a -> a.engine().view().stream()).mapToLong(v -> v.requests()).sum();
            assertThat(served).as("executions over all instances: each request once per stage").isEqualTo(3L * REQUESTS);
        }
    }

    /** The node as it reads back from the wire (number node types as parsed, not as built). */
    private static JsonNode wire(JsonNode node) throws java.io.IOException {
        return TestClusters.JSON.readTree(TestClusters.JSON.writeValueAsBytes(node));
    }

    /** "" when the reply is right, else what is wrong. */
    private static String check(Reply r, JsonNode nat, JsonNode ids, JsonNode kv, String kvInstance) {
        if (!r.ok()) {
            return r.status() + " " + r.text();
        }
        JsonNode root;
        try {
            root = TestClusters.JSON.readTree(r.payload());
        } catch (java.io.IOException e) {
            return "not JSON: " + new String(r.payload(), StandardCharsets.UTF_8);
        }
        JsonNode second = root.path("downstream").path(0);
        JsonNode third = second.path("downstream").path(0);
        if (root.path("failures").asInt(-1) != 0) {
            return "failures in " + root;
        }
        if (!root.path("instance").asText().equals("chain/nat.0") || !root.get("response").equals(nat)) {
            return "stage nat: " + root;
        }
        if (!second.path("instance").asText().equals("chain/ids.0") || !second.get("response").equals(ids)) {
            return "stage ids: want " + ids + " got " + second;
        }
        if (!third.path("instance").asText().equals(kvInstance) || !third.get("response").equals(kv)) {
            return "stage kv (want " + kvInstance + "): " + third;
        }
        return "";
    }
}
