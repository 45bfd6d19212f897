package io.e3.placement.hcm;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelLoad;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.ResourceDemand;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.Scaling;
import io.e3.model.app.ServiceSpec;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Manifests;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import io.e3.placement.ClusterSnapshot;
import io.e3.placement.NodeUsage;
import io.e3.placement.PlacementRequest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Energy-aware HCM: each instance on the kind of core that serves it at the lowest modelled energy (Table 5.1). */
class HcmEnergyTest {

    private static final Cluster RACK = Clusters.of(ServerTypes.TYPE1_SMARTNIC, 3);

    /** s0/nic0 with 10.5 of its 12 cores taken: room for one one-core instance. */
    private static final ClusterSnapshot S0_NIC_NEARLY_FULL =
            new ClusterSnapshot(Map.of("s0/nic0", NodeUsage.ofCores(10.5)), List.of());

    /** Count (one core) calling KVS (one core) at 1,000 req/s: both cheaper per request on a SmartNIC. */
    private static AppSpec countThenKvs(String name) {
        return AppSpec.of(name, List.of(
                        new ServiceSpec("a", MicroserviceType.COUNT, 1, Scaling.REPLICATED, new ResourceDemand(1, 64),
                                null, 0),
                        new ServiceSpec("b", MicroserviceType.KVS, 1, Scaling.REPLICATED, new ResourceDemand(1, 64),
                                null, 0)),
                List.of(new ChannelSpec("a", "b", RoutingPolicy.ROUND_ROBIN, new ChannelLoad(1000, 512))));
    }

    private static AppSpec example(String name) {
        try {
            return ((AppManifest) Manifests.load(Path.of("..", "examples", "apps", name + ".yaml")).get(0)).app();
        } catch (ManifestException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PlacementResult place(Cluster cluster, ClusterSnapshot snapshot, AppSpec app) {
        return new HcmStrategy().place(new PlacementRequest(cluster, snapshot, app, 0, Duration.ofSeconds(1)));
    }

    private static List<String> nodesOf(PlacementResult r, String service) {
        return r.assignments().stream().filter(a -> a.instance().service().equals(service))
                .map(Assignment::nodeId).toList();
    }

    @Test
    void runsAllOfNfvFinOnSmartNics() {
        // §5.6.1: "E3 is able to run all microservices on the SmartNICs". Flow monitor, NIDS and IPsec all have a
        // higher RPJ on the SmartNIC (Table 5.1: 83.6K/40.4K, 84.8K/17.2K, 79.0K/8.1K).
        PlacementResult r = place(RACK, ClusterSnapshot.EMPTY, example("nfv-fin"));
        assertThat(r.unplaced()).isEmpty();
        assertThat(r.assignments()).hasSize(72).allSatisfy(a -> assertThat(a.nodeId()).contains("/nic"));
    }

    @Test
    void putsRtaPtcsCountOnSmartNicsAndItsTopRankerOnHosts() {
        PlacementResult r = place(RACK, ClusterSnapshot.EMPTY, example("rta-ptc"));
        assertThat(r.unplaced()).isEmpty();
        // Table 5.1: Count 96.1K RPJ on the SmartNIC against 40.3K on the host; Top ranker 0.7K against 7.1K.
        assertThat(nodesOf(r, "count")).hasSize(24).allSatisfy(n -> assertThat(n).contains("/nic"));
        assertThat(nodesOf(r, "rank")).hasSize(12).allSatisfy(n -> assertThat(n).endsWith("/host"));
        // KNN: 1.5K RPJ on the SmartNIC against 0.4K on the host, and 417 req/s per replica need 0.17 wimpy cores,
        // so the model puts it on SmartNICs.
        assertThat(nodesOf(r, "classify")).hasSize(24).allSatisfy(n -> assertThat(n).contains("/nic"));
    }

    @Test
    void goesToAHostWhenNoSmartNicCanSustainTheRate() {
        // KNN on a SmartNIC: 29.9K RPS / 12 cores = 2,492 req/s per core. 40,000 req/s need 16 wimpy cores, more than a
        // LiquidIO has; on a host, 42.4K / 12 = 3,533 req/s per core, 11.3 cores.
        AppSpec app = AppSpec.of("heavy", List.of(
                        new ServiceSpec("gw", MicroserviceType.API_GATEWAY, 1, Scaling.REPLICATED,
                                new ResourceDemand(0.1, 64), null, 0),
                        new ServiceSpec("knn", MicroserviceType.KNN, 1, Scaling.REPLICATED,
                                new ResourceDemand(0.1, 64), null, 0)),
                List.of(new ChannelSpec("gw", "knn", RoutingPolicy.ROUND_ROBIN, new ChannelLoad(40_000, 512))));
        PlacementResult r = place(RACK, ClusterSnapshot.EMPTY, app);
        assertThat(r.nodeOf("heavy/knn.0")).hasValueSatisfying(n -> assertThat(n).endsWith("/host"));
    }

    @Test
    void prefersASmartNicAcrossTheRackToTheHostNextToItsParent() {
        // The parent (Count, placed on s0/nic0 by first fit) leaves s0/nic0 full; the child (KVS, 97.1K RPJ on a
        // SmartNIC against 59.6K on a host) goes to the next SmartNIC, not over PCIe to s0/host.
        AppSpec app = countThenKvs("chain");
        PlacementResult traversal = new HcmStrategy(HcmStrategy.Preference.ENERGY, false)
                .place(new PlacementRequest(RACK, S0_NIC_NEARLY_FULL, app, 0, Duration.ofSeconds(1)));
        assertThat(traversal.nodeOf("chain/a.0")).contains("s0/nic0");
        assertThat(traversal.nodeOf("chain/b.0")).contains("s1/nic0");
        // The locality pass then brings the two together on one SmartNIC (the same kind of core).
        PlacementResult r = place(RACK, S0_NIC_NEARLY_FULL, app);
        assertThat(r.nodeOf("chain/a.0")).isEqualTo(r.nodeOf("chain/b.0"));
        assertThat(r.nodeOf("chain/a.0").orElseThrow()).contains("/nic");
        assertThat(r.metrics().get("communicationCost")).isZero();
        assertThat(traversal.metrics().get("communicationCost")).isPositive();
    }

    @Test
    void breaksBestFitTiesByClusterOrderTheSameWayEveryTime() {
        // s1/nic0 and s2/nic0 are equally empty, so best fit ties between them; the tie goes to the first in cluster
        // order, on every run.
        AppSpec app = countThenKvs("tie");
        PlacementResult first = place(RACK, S0_NIC_NEARLY_FULL, app);
        for (int run = 0; run < 5; run++) {
            assertThat(place(RACK, S0_NIC_NEARLY_FULL, app).assignments()).isEqualTo(first.assignments());
        }
        assertThat(first.nodeOf("tie/b.0")).contains("s1/nic0");
    }

    @Test
    void keepsTheChaptersHostFirstOrderWhenAskedTo() {
        PlacementResult r = new HcmStrategy(HcmStrategy.Preference.HOSTS).place(new PlacementRequest(RACK,
                ClusterSnapshot.EMPTY, example("nfv-fin"), 0, Duration.ofSeconds(1)));
        assertThat(nodesOf(r, "flow-monitor").get(0)).isEqualTo("s0/host");
        assertThat(r.metrics().get("modelledRequestsPerJoule"))
                .isLessThan(place(RACK, ClusterSnapshot.EMPTY, example("nfv-fin")).metrics()
                        .get("modelledRequestsPerJoule"));
    }
}
