package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.AppClient;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.rpc.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Overload, its migration half: a cold migration of a KVS shard under load loses no
 * request, and the shard answers identically after the move: every write before, during and after it reads back.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedClusterResource.class, restrictToAnnotatedClass = true)
class MigrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = """
            apiVersion: e3.io/v1alpha1
            kind: MicroserviceApp
            metadata:
              name: shop
            spec:
              services:
                - name: front
                  type: natv4
                  replicas: 1
                  pin: host
                - name: store
                  type: kvs
                  shards: 2
                  pin: smartnic
                  resources: {cores: 0.5, memoryMiB: 64}
              channels:
                - from: front
                  to: store
                  routing: shard-keyed
            """;

    @Test
    void aShardMovesUnderLoadWithoutLosingARequestOrAWrite() throws Exception {
        ControllerApi.applyAndAwaitRunning(APP, "shop");
        EmbeddedCluster cluster = EmbeddedClusterResource.cluster;
        AppRoutes routes = ControllerApi.routes("shop", cluster.plan());
        String shard = routes.services().get("store").instances().get(0).instance();
        String from = routes.services().get("store").instances().get(0).node();
        String to = from.replace("nic0", "host");

        AppClient client = cluster.client(0);
        ClosedLoopLoad load = ClosedLoopLoad.start(32, i -> client.call(routes, "front", "k" + i, i, put(i)));
        await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() > 300);
        long id = ((Number) api().contentType("application/json")
                .body("{\"instance\": \"" + shard + "\", \"to\": \"" + to + "\"}").when().post("/v1/migrations")
                .then().statusCode(202).extract().path("id")).longValue();
        await().atMost(Duration.ofMinutes(1)).until(() -> !"RUNNING".equals(
                api().when().get("/v1/migrations/" + id).then().extract().path("phase")));
        int atSwitch = load.sent();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() > atSwitch + 300);
        load.stop(1);

        JsonNode migration = JSON.readTree(api().when().get("/v1/migrations/" + id).then().extract().asString());
        assertThat(migration.path("phase").asText()).as(migration.toString()).isEqualTo("SUCCEEDED");
        assertThat(load.failures()).as("lost or failed requests during the migration").isEmpty();
        assertThat(cluster.agent(from).engine().has(shard)).isFalse();
        assertThat(cluster.agent(to).engine().has(shard)).isTrue();
        int writes = load.sent();
        List<CompletableFuture<Reply>> reads = new ArrayList<>();
        Semaphore window = new Semaphore(32);
        for (int i = 0; i < writes; i++) {
            window.acquire();
            reads.add(client.call(routes, "front", "k" + i, i, get(i)).whenComplete((r, e) -> window.release()));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        for (int i = 0; i < writes; i++) {
            Reply read = reads.get(i).join();
            assertThat(read.ok()).as("read of k%d: %s", i, read.text()).isTrue();
            JsonNode store = JSON.readTree(read.payload()).path("downstream").path(0);
            assertThat(store.path("response").path("value").asText()).as("k%d read back from %s", i,
                    store.path("instance").asText()).isEqualTo("v" + i);
        }
        System.out.printf("migration: %s %s -> %s under load, %d writes (%d before the move), 0 lost, all read back;"
                + " steps %s%n", shard, from, to, writes, atSwitch, migration.path("steps"));
    }

    private static byte[] put(int i) {
        return ("{\"key\": \"k" + i + "\", \"id\": " + i + ", \"stages\": {\"store\": {\"op\": \"put\", \"key\": \"k"
                + i + "\", \"value\": \"v" + i + "\"}}}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] get(int i) {
        return ("{\"key\": \"k" + i + "\", \"id\": " + i + ", \"stages\": {\"store\": {\"op\": \"get\", \"key\": \"k"
                + i + "\"}}}").getBytes(StandardCharsets.UTF_8);
    }
}
