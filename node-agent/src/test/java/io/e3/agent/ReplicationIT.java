package io.e3.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.emu.Emulation;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.routing.Target;
import io.e3.agent.rpc.Reply;
import io.e3.model.topology.ServerTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Primary-backup replication (§5.4.5) between real agents: a backup applies its primary's requests in the order the
 * primary ran them, an answered write is on the backup before the caller has its answer, the backup promoted after its
 * primary's node dies serves every acknowledged write under the primary's shard, and a primary whose backup dies goes
 * on alone.
 */
class ReplicationIT {

    private static final String SHARD = "app/kv.0";
    private static final String BACKUP = "app/kv.0.backup1";
    private static final int KEYS = 50;
    private static final int WRITES = 600;
    private static final int IN_FLIGHT = 24;

    @Test
    void backupHoldsEveryAcknowledgedWriteInOrderAndServesAfterPromotion() throws Exception {
        try (EmbeddedCluster c = TestClusters.start(ServerTypes.TYPE1_SMARTNIC, 3, Emulation.DEFAULT)) {
            AppClient client = deployPrimaryAndBackup(c);

            // Keys are overwritten many times by concurrent writers: the backup ends equal only if it applied the
            // writes in the order the primary ran them.
            Map<String, String> acknowledged = writeConcurrently(client, c.agent("s0/host").ip(), SHARD, "a");
            Target primary = new Target(SHARD, "s0/host", c.agent("s0/host").ip(), 0);
            Target backup = new Target(BACKUP, "s1/host", c.agent("s1/host").ip(), 0);
            for (int k = 0; k < KEYS; k++) {
                String key = "key-" + k;
                assertThat(value(client, backup, key)).as(key).isEqualTo(value(client, primary, key))
                        .isEqualTo(acknowledged.get(key));
            }
            long[] counts = c.agent("s0/host").replicationCounts();
            assertThat(counts[0]).as("writes + %d reads applied by the backup", KEYS).isEqualTo(WRITES + KEYS);
            assertThat(counts[1]).as("batches carry several requests").isLessThan(WRITES);
            assertThat(counts[2]).isZero();

            c.stopAgent("s0/host");
            String promoted = table(true);
            for (String n : List.of("s0/nic0", "s1/host", "s1/nic0", "s2/host", "s2/nic0")) {
                assertThat(TestClusters.call("PUT", c.agent(n).url() + "/v1/routes/app", promoted).status())
                        .isEqualTo(200);
            }
            AppRoutes routes = AppRoutes.parse("app", TestClusters.JSON.readTree(promoted), c.plan());
            for (int k = 0; k < KEYS; k++) {
                String key = "key-" + k;
                Target owner = routes.entry("kv", key, k);
                assertThat(owner.instance()).isEqualTo(BACKUP);
                assertThat(value(client, owner, key)).as("acknowledged write of " + key + " after failover")
                        .isEqualTo(acknowledged.get(key));
            }
            // A caller that still has the dead primary's address follows the shard to its promoted backup.
            Reply followed = client.call(() -> routes, "kv", "key-1", 7, request("get", "key-1", null))
                    .get(30, TimeUnit.SECONDS);
            assertThat(followed.ok()).isTrue();
        }
    }

    @Test
    void primaryGoesOnAloneWhenItsBackupDies() throws Exception {
        try (EmbeddedCluster c = TestClusters.start(ServerTypes.TYPE1_SMARTNIC, 2, Emulation.DEFAULT)) {
            AppClient client = deployPrimaryAndBackup(c);
            Target primary = new Target(SHARD, "s0/host", c.agent("s0/host").ip(), 0);
            assertThat(client.call(primary, 1, request("put", "before", "1")).get(30, TimeUnit.SECONDS).ok()).isTrue();

            c.stopAgent("s1/host");
            Map<String, String> acknowledged = writeConcurrently(client, primary.ip(), SHARD, "b");
            assertThat(acknowledged).hasSize(KEYS);
            assertThat(c.agent("s0/host").replicationCounts()[2]).as("the batch that found the backup gone")
                    .isEqualTo(1);
            assertThat(value(client, primary, "key-3")).isEqualTo(acknowledged.get("key-3"));
        }
    }

    /** The shard on s0/host, its backup on s1/host, the routes on every agent; returns a client. */
    private static AppClient deployPrimaryAndBackup(EmbeddedCluster c) {
        TestClusters.deploy(c, "s0/host", SHARD, "kvs");
        TestClusters.deploy(c, "s1/host", BACKUP, "kvs");
        TestClusters.routes(c, "app", table(false));
        return c.client(0);
    }

    private static String table(boolean promoted) {
        String instance = promoted
                ? "{\"id\": \"" + BACKUP + "\", \"node\": \"s1/host\", \"shard\": \"" + SHARD + "\"}"
                : "{\"id\": \"" + SHARD + "\", \"node\": \"s0/host\", \"backups\": [{\"id\": \"" + BACKUP
                + "\", \"node\": \"s1/host\"}]}";
        return "{\"services\": {\"kv\": {\"sharded\": true, \"instances\": [" + instance + "]}}}";
    }

    /**
     * {@value #WRITES} puts over {@value #KEYS} keys, {@value #IN_FLIGHT} at a time, each write waiting for the one
     * {@value #IN_FLIGHT} before it; returns, per key, the value of its last acknowledged write.
     */
    private static Map<String, String> writeConcurrently(AppClient client, int ip, String instance, String tag)
            throws Exception {
        Target t = new Target(instance, "", ip, 0);
        List<CompletableFuture<Reply>> calls = new ArrayList<>();
        Map<String, String> last = new HashMap<>();
        for (int i = 0; i < WRITES; i++) {
            if (i >= IN_FLIGHT) {
                assertThat(calls.get(i - IN_FLIGHT).get(60, TimeUnit.SECONDS).ok()).isTrue();
            }
            calls.add(client.call(t, i, request("put", "key-" + (i % KEYS), tag + "-" + i)));
        }
        for (int i = 0; i < WRITES; i++) {
            Reply r = calls.get(i).get(60, TimeUnit.SECONDS);
            assertThat(r.ok()).as(r.text()).isTrue();
        }
        // Write i is issued once every write up to i - IN_FLIGHT has been answered, and writes of one key are KEYS
        // apart: with KEYS >= IN_FLIGHT they never overlap, so the last one issued is the last one that ran.
        assertThat(KEYS).isGreaterThanOrEqualTo(IN_FLIGHT);
        for (int i = 0; i < WRITES; i++) {
            last.put("key-" + (i % KEYS), tag + "-" + i);
        }
        return last;
    }

    private static String value(AppClient client, Target t, String key) throws Exception {
        Reply r = client.call(t, 3, request("get", key, null)).get(30, TimeUnit.SECONDS);
        assertThat(r.ok()).as(r.text()).isTrue();
        JsonNode body = TestClusters.JSON.readTree(r.payload());
        return body.path("response").path("value").asText(null);
    }

    private static byte[] request(String op, String key, String value) {
        String v = value == null ? "" : ", \"value\": \"" + value + "\"";
        return ("{\"key\": \"" + key + "\", \"stages\": {\"kv\": {\"op\": \"" + op + "\", \"key\": \"" + key + "\"" + v
                + "}}}").getBytes(StandardCharsets.UTF_8);
    }
}
