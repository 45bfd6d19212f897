package io.e3.placement.hcm;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelLoad;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.ResourceDemand;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.Scaling;
import io.e3.model.app.ServiceSpec;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.NodeKind;
import io.e3.model.topology.ServerTypes;
import io.e3.placement.ClusterSnapshot;
import io.e3.placement.NodeUsage;
import io.e3.placement.PlacementRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Algorithm 3's hierarchy, level by level, on small Type1-SmartNIC clusters (12-core host + one 12-core SmartNIC), with
 * the chapter's node order ({@link HcmStrategy.Preference#HOSTS}) and without the {@link LocalityPass} that may move
 * an instance afterwards ({@link LocalityPassTest}); energy-aware placement in {@link HcmEnergyTest}.
 */
class HcmStrategyTest {

    private static final Cluster RACK = Clusters.of(ServerTypes.TYPE1_SMARTNIC, 3); // s0, s1, s2

    /** rack-0: s0, s1; rack-1 (same pod): s2, s3; rack-2 in pod-1: s4. */
    private static final Cluster PODS = Clusters.named("pods")
            .rack("rack-0", "pod-0", ServerTypes.TYPE1_SMARTNIC, 2)
            .rack("rack-1", "pod-0", ServerTypes.TYPE1_SMARTNIC, 2)
            .rack("rack-2", "pod-1", ServerTypes.TYPE1_SMARTNIC, 1)
            .build();

    /** Nodes with this many cores already reserved; the rest are empty. */
    private static ClusterSnapshot busy(Object... nodeAndCores) {
        Map<String, NodeUsage> usage = new HashMap<>();
        for (int i = 0; i < nodeAndCores.length; i += 2) {
            usage.put((String) nodeAndCores[i], NodeUsage.ofCores(((Number) nodeAndCores[i + 1]).doubleValue()));
        }
        return new ClusterSnapshot(usage, List.of());
    }

    /** A chain parent -> child of one-core KVS replicas, with pins. */
    private static AppSpec pair(NodeKind parentPin, NodeKind childPin, double parentCores) {
        return AppSpec.of("app", List.of(
                        new ServiceSpec("parent", MicroserviceType.KVS, 1, Scaling.REPLICATED,
                                new ResourceDemand(parentCores, 256), parentPin, 0),
                        new ServiceSpec("child", MicroserviceType.KVS, 1, Scaling.REPLICATED,
                                new ResourceDemand(1, 256), childPin, 0)),
                List.of(new ChannelSpec("parent", "child", RoutingPolicy.ROUND_ROBIN, new ChannelLoad(100, 512))));
    }

    private static PlacementResult place(Cluster cluster, ClusterSnapshot snapshot, AppSpec app) {
        return new HcmStrategy(HcmStrategy.Preference.HOSTS, false)
                .place(new PlacementRequest(cluster, snapshot, app, 0, Duration.ofSeconds(1)));
    }

    private static String nodeOf(PlacementResult r, String instance) {
        return r.nodeOf(instance).orElseThrow(() -> new AssertionError(instance + " unplaced: " + r.unplaced()));
    }

    @Test
    void placesChildOnItsParentsNodeWhenItFits() {
        PlacementResult r = place(RACK, ClusterSnapshot.EMPTY, pair(null, null, 1));
        assertThat(nodeOf(r, "app/parent.0")).isEqualTo("s0/host");
        assertThat(nodeOf(r, "app/child.0")).isEqualTo("s0/host");
        assertThat(r.metrics().get("communicationCost")).isZero();
    }

    @Test
    void placesChildOnTheSiblingSmartNicOverPcieBeforeLeavingTheServer() {
        PlacementResult r = place(RACK, busy("s0/host", 10.5), pair(null, null, 1));
        assertThat(nodeOf(r, "app/parent.0")).isEqualTo("s0/host");
        assertThat(nodeOf(r, "app/child.0")).isEqualTo("s0/nic0");
    }

    @Test
    void placesChildOnASmartNicAcrossTheRackBeforeAnyHost() {
        PlacementResult r = place(RACK, busy("s0/host", 12, "s0/nic0", 10.5), pair(NodeKind.SMARTNIC, null, 1));
        assertThat(nodeOf(r, "app/parent.0")).isEqualTo("s0/nic0");
        assertThat(nodeOf(r, "app/child.0")).isEqualTo("s1/nic0");
    }

    @Test
    void placesChildOnAHostAcrossTheRackWhenNoSmartNicThereHasRoom() {
        PlacementResult r = place(RACK, busy("s0/host", 12, "s0/nic0", 10.5, "s1/nic0", 12, "s2/nic0", 11.5),
                pair(NodeKind.SMARTNIC, null, 1));
        assertThat(nodeOf(r, "app/child.0")).isEqualTo("s1/host");
    }

    @Test
    void prefersTheTighterFitWithinALevel() {
        // s1/nic0 has 11 cores free, s2/nic0 only 2: best fit takes s2/nic0.
        PlacementResult r = place(RACK, busy("s0/host", 12, "s0/nic0", 10.5, "s1/nic0", 1, "s2/nic0", 10),
                pair(NodeKind.SMARTNIC, null, 1));
        assertThat(nodeOf(r, "app/child.0")).isEqualTo("s2/nic0");
    }

    @Test
    void crossesToAnotherRackOfThePodThenToAnotherPod() {
        ClusterSnapshot rackFull = busy("s0/host", 11, "s0/nic0", 12, "s1/host", 12, "s1/nic0", 12);
        PlacementResult r = place(PODS, rackFull, pair(null, null, 1));
        assertThat(nodeOf(r, "app/parent.0")).isEqualTo("s0/host");
        assertThat(nodeOf(r, "app/child.0")).as("a SmartNIC in the next rack first").isEqualTo("s2/nic0");

        ClusterSnapshot podFull = busy("s0/host", 11, "s0/nic0", 12, "s1/host", 12, "s1/nic0", 12,
                "s2/host", 12, "s2/nic0", 12, "s3/host", 12, "s3/nic0", 12);
        assertThat(nodeOf(place(PODS, podFull, pair(null, null, 1)), "app/child.0")).isEqualTo("s4/nic0");
    }

    @Test
    void fallsBackToFirstFitForAChildWhoseParentCouldNotBePlaced() {
        PlacementResult r = place(RACK, ClusterSnapshot.EMPTY, pair(null, null, 13));
        assertThat(r.nodeOf("app/parent.0")).isEmpty();
        assertThat(nodeOf(r, "app/child.0")).isEqualTo("s0/host");
    }

    @Test
    void reportsTheClosestNodeOfEachKindWithItsShortfall() {
        PlacementResult r = place(RACK, busy("s0/host", 2, "s0/nic0", 4, "s1/nic0", 1), pair(null, null, 12.5));
        assertThat(r.unplaced()).singleElement().satisfies(u -> {
            assertThat(u.instance().id()).isEqualTo("app/parent.0");
            assertThat(u.reasons()).containsExactly(
                    "no host fits (3 by resources); closest host s1/host: free cores 12.00 < 12.50 asked",
                    "no smartnic fits (3 by resources); closest smartnic s2/nic0: free cores 12.00 < 12.50 asked");
        });
    }

    @Test
    void placesABackupNearItsPrimaryButOnAnotherServer() {
        AppSpec app = AppSpec.of("app", List.of(new ServiceSpec("kv", MicroserviceType.KVS, 1, Scaling.SHARDED,
                new ResourceDemand(1, 256), null, 2)), List.of());
        PlacementResult r = place(RACK, ClusterSnapshot.EMPTY, app);
        assertThat(nodeOf(r, "app/kv.0")).isEqualTo("s0/host");
        assertThat(nodeOf(r, "app/kv.0.backup1")).isEqualTo("s1/nic0");
        assertThat(nodeOf(r, "app/kv.0.backup2")).isEqualTo("s2/nic0");
    }

    @Test
    void reservesTheCoresTheExpectedLoadNeedsOnThatKindOfCore() {
        // Bayes, Table 5.1: host 13.7K RPS on 12 cores (876 us per request per core), SmartNIC 1.6K on 12 (7.5 ms).
        // 10,000 req/s need 8.76 host cores, or 75 SmartNIC cores, which no SmartNIC has: it must go to a host.
        AppSpec app = AppSpec.of("spam", List.of(
                ServiceSpec.of("gw", MicroserviceType.API_GATEWAY, 1),
                new ServiceSpec("classify", MicroserviceType.BAYES, 1, Scaling.REPLICATED, new ResourceDemand(0.5, 256),
                        null, 0)),
                List.of(new ChannelSpec("gw", "classify", RoutingPolicy.ROUND_ROBIN, new ChannelLoad(10_000, 512))));
        PlacementResult r = place(RACK, busy("s0/host", 11), app);
        assertThat(nodeOf(r, "spam/gw.0")).isEqualTo("s0/host");
        assertThat(nodeOf(r, "spam/classify.0")).isEqualTo("s1/host");
        assertThat(r.assignments().get(1).reserved().cores()).isCloseTo(10_000 * 12 / 13_700.0, within(1e-9));
    }
}
