package io.e3.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.e3.model.app.AppSpec;
import io.e3.model.app.Instance;
import io.e3.model.app.MicroserviceType;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.NodeKind;
import io.e3.model.topology.ServerTypes;
import io.e3.placement.hcm.HcmStrategy;
import io.e3.placement.search.Relocation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Failover, migration and move-back targets come from placement's constraints: cores, memory, bandwidth, pins and
 * fault domains, plus the nodes to avoid; when nothing fits the choice says why.
 */
class RelocationTest {

    private static final Cluster CLUSTER = Clusters.of(ServerTypes.TYPE1_SMARTNIC, 3);

    /** Where {@code app} is placed by HCM, and the snapshot without {@code moving}. */
    private static PlacementResult placed(AppSpec app) {
        return new HcmStrategy().place(new PlacementRequest(CLUSTER, ClusterSnapshot.EMPTY, app, 0,
                PlacementRequest.DEFAULT_TIME_LIMIT));
    }

    private static ClusterSnapshot without(AppSpec app, PlacementResult r, String moving) {
        return ClusterSnapshot.EMPTY.with(CLUSTER, app, new PlacementResult(r.algorithm(), r.assignments().stream()
                .filter(a -> !a.instance().id().equals(moving)).toList(), List.of(), Map.of()));
    }

    private static Instance instance(AppSpec app, String id) {
        return app.instances().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void anOverloadedInstanceGoesToItsOwnServersHostElseTheRoomiestHost() {
        AppSpec app = Apps.named("a").service("front", MicroserviceType.API_GATEWAY, 0.5, NodeKind.HOST, 0)
                .service("rank", MicroserviceType.TOP_RANKER, 1).chain();
        PlacementResult r = placed(app);
        Instance rank = instance(app, "a/rank.0");
        ClusterSnapshot s = without(app, r, rank.id());
        Relocation.Choice own = Relocation.choose(CLUSTER, s, app, rank, Set.of("s1/nic0"), Relocation.Prefer.HOST,
                "s1");
        assertThat(own.node()).isEqualTo("s1/host");
        Relocation.Choice other = Relocation.choose(CLUSTER, s, app, rank, Set.of("s1/nic0", "s1/host"),
                Relocation.Prefer.HOST, "s1");
        assertThat(other.found()).isTrue();
        assertThat(other.node()).endsWith("/host").isNotEqualTo("s1/host");
    }

    @Test
    void aSmartNicPinnedInstanceIsNeverMovedToAHostAndTheChoiceSaysWhy() {
        AppSpec app = Apps.named("p").service("ids", MicroserviceType.NIDS, 0.5, NodeKind.SMARTNIC, 0).chain();
        PlacementResult r = placed(app);
        Instance ids = instance(app, "p/ids.0");
        Relocation.Choice c = Relocation.choose(CLUSTER, without(app, r, ids.id()), app, ids,
                Set.of(r.nodeOf(ids.id()).orElseThrow()), Relocation.Prefer.HOST, "s0");
        assertThat(c.found()).isFalse();
        assertThat(String.join("; ", c.whyNot())).contains("pin");
    }

    @Test
    void aBackupNeverJoinsItsPrimarysServerAndAvoidedNodesAreNotUsed() {
        AppSpec app = Apps.named("kv").service("store", MicroserviceType.KVS, 0.5, null, 1).chain();
        PlacementResult r = placed(app);
        String primaryServer = CLUSTER.node(r.nodeOf("kv/store.0").orElseThrow()).orElseThrow().serverId();
        Instance backup = instance(app, "kv/store.0.backup1");
        String was = r.nodeOf(backup.id()).orElseThrow();
        String wasServer = CLUSTER.node(was).orElseThrow().serverId();
        Relocation.Choice c = Relocation.choose(CLUSTER, without(app, r, backup.id()), app, backup, Set.of(was),
                Relocation.Prefer.ELSEWHERE, wasServer);
        assertThat(c.found()).as(c.whyNot().toString()).isTrue();
        String server = CLUSTER.node(c.node()).orElseThrow().serverId();
        assertThat(server).isNotEqualTo(primaryServer).isNotEqualTo(wasServer);
    }

    @Test
    void aNewBackupOfAShardServedByAPromotedBackupAvoidsThatBackupsServer() {
        AppSpec app = Apps.named("kv").service("store", MicroserviceType.KVS, 0.5, null, 1).chain();
        PlacementResult r = placed(app);
        String servingServer = CLUSTER.node(r.nodeOf("kv/store.0.backup1").orElseThrow()).orElseThrow().serverId();
        String deadNode = r.nodeOf("kv/store.0").orElseThrow();
        Instance primary = instance(app, "kv/store.0");
        Instance backup2 = Instance.backupOf(primary, 2);
        // The primary's node died: it is gone from the snapshot, and backup1 serves the shard.
        ClusterSnapshot s = without(app, r, primary.id());
        Relocation.Choice c = Relocation.choose(CLUSTER, s, app, backup2, Set.of(deadNode), Relocation.Prefer.ELSEWHERE,
                CLUSTER.node(deadNode).orElseThrow().serverId());
        assertThat(c.found()).as(c.whyNot().toString()).isTrue();
        assertThat(CLUSTER.node(c.node()).orElseThrow().serverId()).isNotEqualTo(servingServer);
        assertThat(c.node()).isNotEqualTo(deadNode);
    }

    @Test
    void aMoveBackGoesExactlyToItsSmartNicOrSaysWhyNot() {
        AppSpec app = Apps.named("a").service("front", MicroserviceType.API_GATEWAY, 0.5, NodeKind.HOST, 0)
                .service("count", MicroserviceType.COUNT, 0.5).chain();
        PlacementResult r = placed(app);
        Instance count = instance(app, "a/count.0");
        ClusterSnapshot s = without(app, r, count.id());
        assertThat(Relocation.choose(CLUSTER, s, app, count, Set.of(), Relocation.Prefer.EXACTLY, "s2/nic0").node())
                .isEqualTo("s2/nic0");
        Relocation.Choice down = Relocation.choose(CLUSTER, s, app, count, Set.of("s2/nic0"),
                Relocation.Prefer.EXACTLY, "s2/nic0");
        assertThat(down.found()).isFalse();
        assertThat(down.whyNot()).singleElement().asString().contains("avoided");
        ClusterSnapshot full = s.withUnavailable(CLUSTER, List.of("s2/nic0"));
        Relocation.Choice noRoom = Relocation.choose(CLUSTER, full, app, count, Set.of(), Relocation.Prefer.EXACTLY,
                "s2/nic0");
        assertThat(noRoom.found()).isFalse();
        assertThat(String.join("; ", noRoom.whyNot())).contains("smartnic");
        assertThat(r.assignments()).extracting(Assignment::nodeId).isNotEmpty();
    }
}
