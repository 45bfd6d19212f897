package io.e3.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.emu.Emulation;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.rpc.Reply;
import io.e3.model.topology.ServerTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Shard routing and lossless channels: every request with the same key reaches the same instance;
 * with 5 % of the switch's datagrams dropped, 10,000 requests are all answered, each exactly once, and each runs
 * exactly once.
 */
class ShardLossIT {

    private static final int REQUESTS = 10_000;
    private static final int KEYS = 300;
    private static final String ROUTES = """
            {"services": {
               "gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host"}, {"id": "shop/gw.1", "node": "s1/nic0"}]},
               "cart": {"sharded": true, "instances": [
                   {"id": "shop/cart.0", "node": "s0/nic0"}, {"id": "shop/cart.1", "node": "s1/host"},
                   {"id": "shop/cart.2", "node": "s2/host"}, {"id": "shop/cart.3", "node": "s2/nic0"}]}},
             "channels": [{"from": "gw", "to": "cart", "routing": "shard-keyed"}]}""";

    @Test
    void sameKeySameShardAndEveryRequestAnsweredOnceUnderFivePercentLoss() throws Exception {
        try (EmbeddedCluster c = TestClusters.start(ServerTypes.TYPE1_SMARTNIC, 3, Emulation.DEFAULT)) {
            TestClusters.deploy(c, "s0/host", "shop/gw.0", "natv4");
            TestClusters.deploy(c, "s1/nic0", "shop/gw.1", "natv4");
            for (String[] shard : new String[][] {{"s0/nic0", "0"}, {"s1/host", "1"}, {"s2/host", "2"},
                    {"s2/nic0", "3"}}) {
                TestClusters.deploy(c, shard[0], "shop/cart." + shard[1], "count");
            }
            TestClusters.routes(c, "shop", ROUTES);
            AppRoutes routes = AppRoutes.parse("shop", TestClusters.JSON.readTree(ROUTES), c.plan());
            c.tor().setLossRate(0.05);

            AppClient client = c.client(0);
            Map<String, String> shardOfKey = new ConcurrentHashMap<>();
            AtomicInteger answers = new AtomicInteger();
            List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
            Semaphore window = new Semaphore(48);
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                String key = "customer-" + (i % KEYS);
                String body = "{\"key\": \"" + key + "\", \"id\": " + i + "}";
                window.acquire();
                CompletableFuture<Reply> r = client.call(routes, "gw", key, i, body.getBytes(StandardCharsets.UTF_8));
                replies.add(r.whenComplete((reply, e) -> {
                    window.release();
                    answers.incrementAndGet();
                    String shard = shardOf(reply);
                    if (shard == null) {
                        problems.add(reply == null ? String.valueOf(e) : reply.status() + " " + reply.text());
                        return;
                    }
                    String first = shardOfKey.putIfAbsent(key, shard);
                    if (first != null && !first.equals(shard)) {
                        problems.add(key + " reached " + first + " and " + shard);
                    }
                }));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);

            assertThat(problems).as("failed or mis-sharded requests").isEmpty();
            assertThat(answers.get()).as("answers (a future completes once)").isEqualTo(REQUESTS);
            assertThat(shardOfKey).hasSize(KEYS);
            shardOfKey.forEach((key, shard) -> assertThat(shard).as("shard of " + key)
                    .isEqualTo(AppRoutes.shard(routes.services().get("cart").instances(), key, 0).instance()));
            long runs = c.agents().values().stream().flatMap(a -> a.engine().view().stream())
                    .filter(v -> v.service().equals("cart")).mapToLong(v -> v.requests()).sum();
            assertThat(runs).as("executions at the shards: each request exactly once").isEqualTo(REQUESTS);
            assertThat(c.tor().injectedLoss.sum()).as("datagrams dropped by the switch").isGreaterThan(1_000);
            long retransmissions = client.endpoint().stats().retransmissions.sum() + c.agents().values().stream()
                    .mapToLong(a -> a.endpoint().stats().retransmissions.sum()).sum();
            long duplicates = c.agents().values().stream()
                    .mapToLong(a -> a.endpoint().stats().duplicateRequests.sum()).sum();
            System.out.printf("shard+loss: %d requests, %d answers, %d executions at the shards, %d keys each on one "
                    + "shard; switch dropped %d datagrams; %d retransmissions, %d duplicate requests suppressed%n",
                    REQUESTS, answers.get(), runs, shardOfKey.size(), c.tor().injectedLoss.sum(), retransmissions,
                    duplicates);
            assertThat(retransmissions).as("retransmissions").isPositive();
            assertThat(duplicates).as("duplicate requests suppressed").isPositive();
        }
    }

    /** The shard instance a reply went through, or null if the reply is not a complete success. */
    private static String shardOf(Reply reply) {
        if (reply == null || !reply.ok()) {
            return null;
        }
        try {
            JsonNode root = TestClusters.JSON.readTree(reply.payload());
            JsonNode cart = root.path("downstream").path(0);
            return root.path("failures").asInt(-1) == 0 && cart.has("response") ? cart.path("instance").asText()
                    : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
