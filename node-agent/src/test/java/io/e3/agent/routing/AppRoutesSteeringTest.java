package io.e3.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How {@link AppRoutes} chooses instances: shard-keyed, round-robin, broadcast, and at the entry service. */
class AppRoutesSteeringTest {

    private static final List<Target> SHARDS = IntStream.range(0, 4)
            .mapToObj(i -> new Target("shop/store." + i, "s" + i + "/host", i, AppRoutes.hash("shop/store." + i)))
            .toList();
    private static final int KEYS = 10_000;

    private static Map<String, Target> owners(List<Target> targets) {
        Map<String, Target> owner = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            owner.put("thermostat-" + k, AppRoutes.shard(targets, "thermostat-" + k, k));
        }
        return owner;
    }

    @Test
    void sendsAKeyToTheSameShardEveryTimeWhateverTheRequestIdOrListOrder() {
        Target owner = AppRoutes.shard(SHARDS, "thermostat-17", 1);
        List<Target> reversed = new ArrayList<>(SHARDS);
        Collections.reverse(reversed);

        for (long id = 0; id < 100; id++) {
            assertThat(AppRoutes.shard(SHARDS, "thermostat-17", id)).isEqualTo(owner);
            assertThat(AppRoutes.shard(reversed, "thermostat-17", id)).isEqualTo(owner);
        }
    }

    @Test
    void spreadsKeysEvenlyOverShards() {
        Map<Target, Integer> perShard = new HashMap<>();
        owners(SHARDS).values().forEach(t -> perShard.merge(t, 1, Integer::sum));

        assertThat(perShard).containsOnlyKeys(SHARDS);
        perShard.values().forEach(n -> assertThat((double) n).isBetween(KEYS / 4 * 0.9, KEYS / 4 * 1.1));
    }

    @Test
    void movesOnlyTheKeysOfARemovedShard() {
        Map<String, Target> before = owners(SHARDS);
        Map<String, Target> after = owners(List.of(SHARDS.get(0), SHARDS.get(1), SHARDS.get(3)));

        before.forEach((key, owner) -> {
            if (!owner.equals(SHARDS.get(2))) {
                assertThat(after.get(key)).as(key).isEqualTo(owner);
            }
        });
        assertThat(after).doesNotContainValue(SHARDS.get(2));
    }

    @Test
    void shardsAKeylessRequestByItsId() {
        assertThat(AppRoutes.shard(SHARDS, null, 99)).isEqualTo(AppRoutes.shard(SHARDS, null, 99));
        Set<Target> used = new HashSet<>();
        for (long id = 0; id < 1_000; id++) {
            used.add(AppRoutes.shard(SHARDS, null, id));
        }
        assertThat(used).hasSize(SHARDS.size());
    }

    @Test
    void hashesStablyAcrossRuns() {
        assertThat(AppRoutes.hash("shop/store.0")).isEqualTo(AppRoutes.hash("shop/store.0"));
        assertThat(AppRoutes.hash("shop/store.0")).isNotEqualTo(AppRoutes.hash("shop/store.1"));
    }

    @Test
    void findsTheAddressOfAServingInstance() throws Exception {
        AppRoutes routes = AppRoutesTest.parse("shop", AppRoutesTest.SHOP);

        assertThat(routes.ipOf("shop/audit.1")).isEqualTo(AppRoutesTest.PLAN.ipOf("s2/nic0"));
        assertThat(routes.ipOf("shop/gw.0")).isEqualTo(AppRoutesTest.PLAN.ipOf("s0/host"));
        assertThat(routes.ipOf("shop/gw.9")).as("not in the table").isZero();
    }

    @Test
    void roundRobinCyclesThroughTheInstancesInOrder() throws Exception {
        AppRoutes routes = AppRoutesTest.parse("shop", AppRoutesTest.SHOP);

        List<String> chosen = IntStream.range(0, 7)
                .mapToObj(i -> routes.next("store", "same-key", i).get(0).targets().get(0).instance()).toList();
        assertThat(chosen).containsExactly("shop/log.0", "shop/log.1", "shop/log.2", "shop/log.0", "shop/log.1",
                "shop/log.2", "shop/log.0");
    }

    @Test
    void broadcastReturnsEveryInstance() throws Exception {
        AppRoutes routes = AppRoutesTest.parse("shop", AppRoutesTest.SHOP);

        for (int i = 0; i < 3; i++) {
            assertThat(routes.next("gw", "k", i).get(1).targets()).extracting(Target::instance)
                    .containsExactly("shop/audit.0", "shop/audit.1");
        }
    }

    @Test
    void entersAShardedServiceByKeyAndAnUnshardedOneInTurn() throws Exception {
        AppRoutes routes = AppRoutesTest.parse("shop", AppRoutesTest.SHOP);
        List<Target> stores = routes.services().get("store").instances();

        for (int i = 0; i < 20; i++) {
            assertThat(routes.entry("store", "k" + (i % 3), i)).isEqualTo(AppRoutes.shard(stores, "k" + (i % 3), i));
        }
        List<String> gws = IntStream.range(0, 4).mapToObj(i -> routes.entry("gw", "k", i).instance()).toList();
        assertThat(gws).containsExactly("shop/gw.0", "shop/gw.1", "shop/gw.2", "shop/gw.0");
        assertThatThrownBy(() -> routes.entry("db", "k", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'db'");
    }
}
