package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.AppClient;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.routing.Target;
import io.e3.agent.rpc.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Node failure with backups (§5.4.5): a KVS shard's node is killed while writers are busy. Its backup is
 * promoted under the shard, a new backup is seeded from it, and every write the cluster acknowledged reads back; then
 * the promoted copy's node is killed too, and the seeded backup takes over with every acknowledged write again.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = {@io.quarkus.test.common.ResourceArg(name = "cluster",
                value = "../examples/clusters/2x-type2-smartnic.yaml"),
                @io.quarkus.test.common.ResourceArg(name = "failoverTimeoutMs", value = "500"),
                @io.quarkus.test.common.ResourceArg(name = "failoverMaxTimeoutMs", value = "1000")})
class BackupFailoverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = """
            apiVersion: e3.io/v1alpha1
            kind: MicroserviceApp
            metadata:
              name: vault
            spec:
              services:
                - name: kv
                  type: kvs
                  shards: 2
                  backups: 1
                  pin: smartnic
                  resources: {cores: 0.25, memoryMiB: 64}
            """;
    private static final int WRITERS = 8;
    private static final int KEYS_PER_WRITER = 25;

    @Test
    void everyAcknowledgedWriteSurvivesTwoSuccessiveNodeDeaths() throws Exception {
        ControllerApi.applyAndAwaitRunning(APP, "vault");
        EmbeddedCluster cluster = EmbeddedClusterResource.cluster;
        Supplier<AppRoutes> routes = () -> ControllerApi.routes("vault", cluster.plan());
        AppClient client = cluster.client(0);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger writes = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread t = new Thread(() -> write(client, routes, writer, writing, writes, acknowledged));
            t.start();
            writers.add(t);
        }

        AppRoutes before = routes.get();
        Target first = before.services().get("kv").instances().get(0);
        String shard = first.instance();
        String primaryNode = first.node();
        String backupNode = before.backupsOf(shard).get(0).node();
        assertThat(cluster.plan().cluster().node(backupNode).orElseThrow().serverId())
                .as("the backup is outside the primary's server").isNotEqualTo(
                        cluster.plan().cluster().node(primaryNode).orElseThrow().serverId());

        await().atMost(Duration.ofSeconds(30)).until(() -> writes.get() > 300);
        long killedAt = System.nanoTime();
        cluster.stopAgent(primaryNode);
        Target promoted = awaitServedElsewhere(routes, shard, primaryNode);
        long promotedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(promoted.instance()).as("the backup serves the shard").isEqualTo(shard + ".backup1");
        String seeded = awaitBackup(routes, promoted.instance());
        long seededAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        int atPromotion = writes.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> writes.get() > atPromotion + 300);
        int lostAfterFirst = lost(client, routes.get(), acknowledged);

        cluster.stopAgent(promoted.node());
        Target second = awaitServedElsewhere(routes, shard, promoted.node());
        assertThat(second.instance()).as("the seeded backup serves the shard").isEqualTo(seeded);
        int atSecond = writes.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> writes.get() > atSecond + 300);
        writing.set(false);
        for (Thread t : writers) {
            t.join(TimeUnit.MINUTES.toMillis(2));
        }
        int lostAfterSecond = lost(client, routes.get(), acknowledged);

        System.out.printf("backup failover: %d acknowledged writes over %d keys; %s killed, backup promoted after %d ms "
                        + "and a new one seeded after %d ms; then %s killed; %d keys lost after the first failover, "
                        + "%d after the second%n", writes.get(), acknowledged.size(), primaryNode, promotedAfterMs,
                seededAfterMs, promoted.node(), lostAfterFirst, lostAfterSecond);
        assertThat(acknowledged).hasSize(WRITERS * KEYS_PER_WRITER);
        assertThat(lostAfterFirst).as("keys whose last acknowledged write is missing").isZero();
        assertThat(lostAfterSecond).as("keys whose last acknowledged write is missing").isZero();
        JsonNode app = JSON.readTree(api().when().get("/v1/apps/vault").then().extract().asString());
        assertThat(app.path("phase").asText()).as(app.toString()).isEqualTo("RUNNING");
    }

    /**
     * Puts its own keys in turn, each write retried until it is acknowledged (a put of the same value twice is
     * harmless), so the last acknowledged value of a key is the last one written.
     */
    private static void write(AppClient client, Supplier<AppRoutes> routes, int writer, AtomicBoolean writing,
                              AtomicInteger writes, Map<String, String> acknowledged) {
        for (int n = 0; writing.get(); n++) {
            String key = "w" + writer + "-k" + (n % KEYS_PER_WRITER);
            String value = "v" + n;
            byte[] body = ("{\"key\": \"" + key + "\", \"stages\": {\"kv\": {\"op\": \"put\", \"key\": \"" + key
                    + "\", \"value\": \"" + value + "\"}}}").getBytes(StandardCharsets.UTF_8);
            while (true) {
                try {
                    Reply r = client.call(routes, "kv", key, writer, body).get(1, TimeUnit.MINUTES);
                    if (r.ok()) {
                        acknowledged.put(key, value);
                        writes.incrementAndGet();
                        break;
                    }
                } catch (Exception e) {
                    // retried below
                }
                if (!writing.get() && acknowledged.containsKey(key)) {
                    return;
                }
            }
        }
    }

    /** Keys whose value, read where the routes send it now, is not the last acknowledged one. */
    private static int lost(AppClient client, AppRoutes routes, Map<String, String> acknowledged) throws Exception {
        int lost = 0;
        for (String key : List.copyOf(acknowledged.keySet())) {
            String expected = acknowledged.get(key);
            byte[] body = ("{\"key\": \"" + key + "\", \"stages\": {\"kv\": {\"op\": \"get\", \"key\": \"" + key
                    + "\"}}}").getBytes(StandardCharsets.UTF_8);
            Reply r = client.call(routes, "kv", key, 1, body).get(1, TimeUnit.MINUTES);
            String value = r.ok() ? JSON.readTree(r.payload()).path("response").path("value").asText(null) : null;
            if (value == null || !value.equals(expected) && !newer(value, expected)) {
                lost++;
            }
        }
        return lost;
    }

    /** Writers keep going while keys are read: a value newer than the one acknowledged before the read is fine. */
    private static boolean newer(String value, String than) {
        return Integer.parseInt(value.substring(1)) > Integer.parseInt(than.substring(1));
    }

    private static Target awaitServedElsewhere(Supplier<AppRoutes> routes, String shard, String deadNode) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> routes.get()
                .locate(shard).map(t -> !t.node().equals(deadNode)).orElse(false));
        return routes.get().locate(shard).orElseThrow();
    }

    private static String awaitBackup(Supplier<AppRoutes> routes, String serving) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> !routes.get()
                .backupsOf(serving).isEmpty());
        return routes.get().backupsOf(serving).get(0).instance();
    }
}
