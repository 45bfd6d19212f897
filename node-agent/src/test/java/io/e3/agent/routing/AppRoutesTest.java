package io.e3.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.http.InvalidBodyException;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppRoutesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final AddressPlan PLAN = AddressPlan.of(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 3), 42);
    static final String SHOP = """
            {"services": {
               "gw":    {"instances": [{"id": "shop/gw.0", "node": "s0/host"}, {"id": "shop/gw.1", "node": "s1/host"},
                                       {"id": "shop/gw.2", "node": "s2/host"}]},
               "store": {"sharded": true, "instances": [{"id": "shop/store.0", "node": "s1/nic0"},
                                                        {"id": "shop/store.1.backup2", "node": "s2/nic0"}]},
               "audit": {"sharded": false, "instances": [{"id": "shop/audit.0", "node": "s0/nic0"},
                                                         {"id": "shop/audit.1", "node": "s2/nic0"}]},
               "log":   {"instances": [{"id": "shop/log.0", "node": "s0/host"}, {"id": "shop/log.1", "node": "s1/host"},
                                       {"id": "shop/log.2", "node": "s2/host"}]}},
             "channels": [{"from": "gw", "to": "store", "routing": "shard-keyed"},
                          {"from": "gw", "to": "audit", "routing": "broadcast"},
                          {"from": "store", "to": "log", "routing": "round-robin"}]}""";

    static AppRoutes parse(String app, String json) throws Exception {
        return AppRoutes.parse(app, JSON.readTree(json), PLAN);
    }

    @Test
    void parsesServicesWithTheirInstancesNodesAndAddresses() throws Exception {
        AppRoutes routes = parse("shop", SHOP);

        assertThat(routes.app()).isEqualTo("shop");
        assertThat(routes.services()).containsOnlyKeys("gw", "store", "audit", "log");
        assertThat(routes.services().get("gw").sharded()).isFalse();
        assertThat(routes.services().get("audit").sharded()).isFalse();
        assertThat(routes.services().get("store").sharded()).isTrue();
        assertThat(routes.services().get("store").instances()).containsExactly(
                new Target("shop/store.0", "s1/nic0", PLAN.ipOf("s1/nic0"), AppRoutes.hash("shop/store.0")),
                new Target("shop/store.1.backup2", "s2/nic0", PLAN.ipOf("s2/nic0"),
                        AppRoutes.hash("shop/store.1.backup2")));
    }

    @Test
    void aPromotedBackupServesItsPrimarysShardAndBackupsAreListedApart() throws Exception {
        String before = """
                {"services": {"kv": {"sharded": true, "instances": [
                    {"id": "shop/kv.0", "node": "s0/host", "backups": [{"id": "shop/kv.0.backup1", "node": "s1/host"}]},
                    {"id": "shop/kv.1", "node": "s1/nic0"}, {"id": "shop/kv.2", "node": "s2/nic0"}]}}}""";
        String after = """
                {"services": {"kv": {"sharded": true, "instances": [
                    {"id": "shop/kv.0.backup1", "node": "s1/host", "shard": "shop/kv.0"},
                    {"id": "shop/kv.1", "node": "s1/nic0"}, {"id": "shop/kv.2", "node": "s2/nic0"}]}}}""";
        AppRoutes primary = parse("shop", before);
        AppRoutes promoted = parse("shop", after);

        assertThat(primary.backupsOf("shop/kv.0")).extracting(Target::instance, Target::node)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shop/kv.0.backup1", "s1/host"));
        assertThat(primary.backupsOf("shop/kv.1")).isEmpty();
        assertThat(primary.services().get("kv").instances()).extracting(Target::instance)
                .as("a backup takes no traffic").doesNotContain("shop/kv.0.backup1");
        assertThat(primary.locate("shop/kv.0.backup1")).map(Target::ip).contains(PLAN.ipOf("s1/host"));
        assertThat(promoted.locate("shop/kv.0")).as("the dead primary's shard").map(Target::instance)
                .contains("shop/kv.0.backup1");
        for (int k = 0; k < 500; k++) {
            String key = "key-" + k;
            String owner = primary.entry("kv", key, k).instance();
            assertThat(promoted.entry("kv", key, k).instance()).as(key)
                    .isEqualTo(owner.equals("shop/kv.0") ? "shop/kv.0.backup1" : owner);
        }
    }

    @Test
    void followsEveryChannelOutOfAServiceWithItsPolicy() throws Exception {
        AppRoutes routes = parse("shop", SHOP);

        List<AppRoutes.Hop> hops = routes.next("gw", "k1", 1);
        assertThat(hops).extracting(h -> h.channel().to()).containsExactly("store", "audit");
        assertThat(hops.get(0).channel().routing()).isEqualTo(RoutingPolicy.SHARD_KEYED);
        assertThat(hops.get(0).targets()).containsExactly(
                AppRoutes.shard(routes.services().get("store").instances(), "k1", 1));
        assertThat(hops.get(1).targets()).isEqualTo(routes.services().get("audit").instances());
        assertThat(routes.next("audit", "k1", 1)).isEmpty();
    }

    @Test
    void acceptsATableWithoutChannels() throws Exception {
        AppRoutes routes = parse("a", "{\"services\": {\"s\": {\"instances\": [{\"id\": \"a/s.0\", \"node\": \"s0/host\"}]}}}");
        assertThat(routes.next("s", null, 1)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            services                       | {}
            services                       | {"services": {}}
            services                       | {"services": []}
            services.gw.instances          | {"services": {"gw": {}}}
            services.gw.instances          | {"services": {"gw": {"instances": []}}}
            services.gw.instances[0].id    | {"services": {"gw": {"instances": [{"id": "shop/gw", "node": "s0/host"}]}}}
            services.gw.instances[0].id    | {"services": {"gw": {"instances": [{"id": "Shop/gw.0", "node": "s0/host"}]}}}
            services.gw.instances[0].id    | {"services": {"gw": {"instances": [{"id": "shop/store.0", "node": "s0/host"}]}}}
            services.gw.instances[0].id    | {"services": {"gw": {"instances": [{"id": "blog/gw.0", "node": "s0/host"}]}}}
            services.gw.instances[0].id    | {"services": {"gw": {"instances": [{"node": "s0/host"}]}}}
            services.gw.instances[1].node  | {"services": {"gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host"}, {"id": "shop/gw.1", "node": "s9/host"}]}}}
            services.gw.sharded            | {"services": {"gw": {"sharded": "yes", "instances": [{"id": "shop/gw.0", "node": "s0/host"}]}}}
            services.Gw                    | {"services": {"Gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host"}]}}}
            channels                       | {"services": {"gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host"}]}}, "channels": {}}
            channels[0].to                 | {"services": {"gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host"}]}}, "channels": [{"from": "gw", "to": "db", "routing": "broadcast"}]}
            channels[0].from               | {"services": {"gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host"}]}}, "channels": [{"from": "db", "to": "gw", "routing": "broadcast"}]}
            channels[0].routing            | {"services": {"gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host"}]}}, "channels": [{"from": "gw", "to": "gw", "routing": "random"}]}
            channels[1]                    | {"services": {"gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host"}]}}, "channels": [{"from": "gw", "to": "gw", "routing": "broadcast"}, 7]}
            services.gw.instances[0].shard | {"services": {"gw": {"instances": [{"id": "shop/gw.0.backup1", "node": "s0/host", "shard": "shop/gw.1"}]}}}
            services.gw.instances[0].shard | {"services": {"gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host", "shard": "shop/gw.0"}]}}}
            services.gw.instances[0].shard | {"services": {"gw": {"instances": [{"id": "shop/gw.0.backup1", "node": "s0/host", "shard": 3}]}}}
            services.gw.instances[1]       | {"services": {"gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host"}, {"id": "shop/gw.0.backup1", "node": "s1/host", "shard": "shop/gw.0"}]}}}
            services.gw.instances[0].backups | {"services": {"gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host", "backups": {}}]}}}
            services.gw.instances[0].backups[0].id | {"services": {"gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host", "backups": [{"id": "shop/gw.1.backup1", "node": "s1/host"}]}]}}}
            services.gw.instances[0].backups[0].node | {"services": {"gw": {"instances": [{"id": "shop/gw.0", "node": "s0/host", "backups": [{"id": "shop/gw.0.backup1", "node": "s7/host"}]}]}}}
            """)
    void rejectsAnInvalidTableNamingTheFieldPath(String path, String json) {
        assertThatThrownBy(() -> parse("shop", json))
                .isInstanceOf(InvalidBodyException.class)
                .hasMessageStartingWith(path + ":");
    }

    @Test
    void refusesChannelsThatFormACycle() {
        String services = "{\"services\": {\"a\": {\"instances\": [{\"id\": \"shop/a.0\", \"node\": \"s0/host\"}]}, "
                + "\"b\": {\"instances\": [{\"id\": \"shop/b.0\", \"node\": \"s0/nic0\"}]}}, \"channels\": [";
        assertThatThrownBy(() -> parse("shop", services + "{\"from\": \"a\", \"to\": \"b\", \"routing\": \"broadcast\"}, "
                + "{\"from\": \"b\", \"to\": \"a\", \"routing\": \"round-robin\"}]}"))
                .isInstanceOf(InvalidBodyException.class)
                .hasMessage("channels: they form a cycle (a -> b -> a); an app is a DAG");
        assertThatThrownBy(() -> parse("shop", services + "{\"from\": \"b\", \"to\": \"b\", \"routing\": \"broadcast\"}]}"))
                .hasMessage("channels: they form a cycle (b -> b); an app is a DAG");
    }

    @Test
    void namesTheOffendingValues() {
        String unknownNode = "{\"services\": {\"gw\": {\"instances\": [{\"id\": \"shop/gw.0\", \"node\": \"s9/host\"}]}}}";
        String badPolicy = "{\"services\": {\"gw\": {\"instances\": [{\"id\": \"shop/gw.0\", \"node\": \"s0/host\"}]}},"
                + " \"channels\": [{\"from\": \"gw\", \"to\": \"gw\", \"routing\": \"random\"}]}";
        assertThatThrownBy(() -> parse("shop", unknownNode)).hasMessageContaining("'s9/host'");
        assertThatThrownBy(() -> parse("shop", badPolicy))
                .hasMessageContaining("'random'").hasMessageContaining("shard-keyed");
    }

    @Test
    void rejectsAnAppNameThatIsNotALabelOrABodyThatIsNotAnObject() {
        assertThatThrownBy(() -> parse("Shop", SHOP)).isInstanceOf(InvalidBodyException.class)
                .hasMessageStartingWith("app:");
        assertThatThrownBy(() -> parse("shop", "[1]")).isInstanceOf(InvalidBodyException.class)
                .hasMessageStartingWith("body:");
    }
}
