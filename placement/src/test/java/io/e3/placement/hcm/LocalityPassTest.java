package io.e3.placement.hcm;

import io.e3.model.app.AppSpec;
import io.e3.model.app.RandomApps;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Manifests;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import io.e3.placement.ClusterSnapshot;
import io.e3.placement.PlacementContractTest;
import io.e3.placement.PlacementRequest;
import io.e3.placement.search.PlacementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The locality pass only ever lowers the communication cost, and changes nothing else the traversal decided: the same
 * instances placed, every constraint kept, and for energy-aware HCM each instance on the same kind of core, so the
 * same modelled active power. On the example apps, the corpus and 60 generated apps, both clusters, both preferences.
 */
class LocalityPassTest {

    private static final List<Cluster> CLUSTERS = List.of(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 3),
            Clusters.of(ServerTypes.TYPE2_SMARTNIC, 2));

    static Stream<AppSpec> apps() throws ManifestException {
        List<AppSpec> apps = new ArrayList<>();
        for (String name : List.of("nfv-fin", "nfv-din", "nfv-ifid", "rta-ptc", "rta-sf", "rta-shm", "iot-dh",
                "iot-ts")) {
            apps.add(load("apps", name));
        }
        for (String name : List.of("dsb-hotel-reservation", "dsb-media-microservices", "dsb-social-network",
                "online-boutique", "sock-shop", "train-ticket")) {
            apps.add(load("corpus", name));
        }
        RandomApps generator = new RandomApps(RandomApps.Parameters.DEFAULTS);
        for (long seed = 1; seed <= 60; seed++) {
            apps.add(generator.generate(seed));
        }
        return apps.stream();
    }

    private static AppSpec load(String folder, String name) throws ManifestException {
        return ((AppManifest) Manifests.load(Path.of("..", "examples", folder, name + ".yaml")).get(0)).app();
    }

    /**
     * Where the closer node is full, the pass makes room. On sock-shop, energy-aware HCM's traversal puts
     * queue-master and rabbitmq on the SmartNIC beside the front end and shipping and orders-db on another server's,
     * at a cost of 0.275; swapping them comes within 5 % of 0.1895, the optimum CP-SAT proves for ilp-energy's
     * objective. On
     * dsb-social-network with the hosts-first order, the media upload path (media-frontend and media-mongodb, which
     * talk to nothing else) fills the first host; moving it out whole lets the main path onto that host and the cost
     * to 0, as ilp-comm finds.
     */
    @Test
    void makesRoomWhereTheCloserNodeIsFull() throws ManifestException {
        Cluster cluster = CLUSTERS.get(0);
        PlacementResult sockShop = new HcmStrategy().place(new PlacementRequest(cluster, ClusterSnapshot.EMPTY,
                load("corpus", "sock-shop"), 0, Duration.ofSeconds(1)));
        assertThat(sockShop.metrics().get("communicationCost")).isLessThan(0.1895 * 1.05);

        AppSpec social = load("corpus", "dsb-social-network");
        PlacementRequest request = new PlacementRequest(cluster, ClusterSnapshot.EMPTY, social, 0,
                Duration.ofSeconds(1));
        assertThat(new HcmStrategy(HcmStrategy.Preference.HOSTS, false).place(request).metrics()
                .get("communicationCost")).as("the traversal alone").isPositive();
        PlacementResult hosts = new HcmStrategy(HcmStrategy.Preference.HOSTS).place(request);
        assertThat(hosts.metrics().get("communicationCost")).isZero();
        assertThat(hosts.unplaced()).isEmpty();
        PlacementContractTest.assertContract(cluster, ClusterSnapshot.EMPTY, social, hosts);
    }

    /**
     * Generated app 193 has call graphs that never meet. With the hosts-first order the traversal's first fit starts
     * them on the same host, where they do not fit together; the pass brings each spread group whole onto one node,
     * and the cost to 0, as ilp-comm proves optimal.
     */
    @Test
    void bringsAGroupThatTalksOnlyAmongItselfOntoOneNode() {
        AppSpec app = new RandomApps(RandomApps.Parameters.DEFAULTS).generate(193);
        Cluster cluster = CLUSTERS.get(0);
        PlacementRequest request = new PlacementRequest(cluster, ClusterSnapshot.EMPTY, app, 0, Duration.ofSeconds(1));
        assertThat(new HcmStrategy(HcmStrategy.Preference.HOSTS, false).place(request).metrics()
                .get("communicationCost")).as("the traversal alone").isPositive();
        PlacementResult hosts = new HcmStrategy(HcmStrategy.Preference.HOSTS).place(request);
        assertThat(hosts.metrics().get("communicationCost")).isZero();
        assertThat(hosts.unplaced()).isEmpty();
        PlacementContractTest.assertContract(cluster, ClusterSnapshot.EMPTY, app, hosts);
    }

    /**
     * Generated apps 70, 80 and 123 fill the first host with the hosts-first order, and single moves stop there: on
     * 123 the app splits between the host and its SmartNIC and a store pinned to hosts lands on another server; on
     * 80 two services must cross to the host while a third crosses back. Merging the host's share into the SmartNIC
     * and the refinement of the split between the two bring each to the optimum CP-SAT proves for ilp-comm's
     * objective (`e3 bench quality --generated 200 --algorithms ilp-comm --time-limit 5s`).
     */
    @ParameterizedTest(name = "gen-{0}")
    @CsvSource({"70, 0.00677240666", "80, 0.101025648", "123, 0.00073647"})
    void refinesTheSplitBetweenAHostAndItsSmartNic(long seed, double provedOptimum) {
        AppSpec app = new RandomApps(RandomApps.Parameters.DEFAULTS).generate(seed);
        Cluster cluster = CLUSTERS.get(0);
        PlacementRequest request = new PlacementRequest(cluster, ClusterSnapshot.EMPTY, app, 0, Duration.ofSeconds(1));
        PlacementResult hosts = new HcmStrategy(HcmStrategy.Preference.HOSTS).place(request);
        assertThat(hosts.metrics().get("communicationCost")).isCloseTo(provedOptimum, within(provedOptimum * 1e-6));
        assertThat(hosts.unplaced()).isEmpty();
        PlacementContractTest.assertContract(cluster, ClusterSnapshot.EMPTY, app, hosts);
    }

    /**
     * On generated apps 53, 139, 144 and 186 the optimum cuts the call graph between services: one part on a host, the
     * other on a SmartNIC (on 144 the front half on the SmartNIC and the back half on the host; on 186 a gateway's
     * whole subtree on the SmartNIC, which makes room on the host for the stores the SmartNIC held). Refining with the
     * instances of each service as one unit finds those cuts, and on 53 gathers the app from three servers onto one.
     * Before, the hosts-first order stayed 4.9, 1.45, 1.7 and 5.4 times above the optimum CP-SAT proves for
     * ilp-comm's objective (`e3 bench quality --generated 200 --algorithms ilp-comm --time-limit 5s`).
     */
    @ParameterizedTest(name = "gen-{0}")
    @CsvSource({"53, 0.00197728", "139, 0.01528281", "144, 1.726999772", "186, 0.014097973"})
    void cutsTheCallGraphBetweenServices(long seed, double provedOptimum) {
        AppSpec app = new RandomApps(RandomApps.Parameters.DEFAULTS).generate(seed);
        Cluster cluster = CLUSTERS.get(0);
        PlacementRequest request = new PlacementRequest(cluster, ClusterSnapshot.EMPTY, app, 0, Duration.ofSeconds(1));
        PlacementResult hosts = new HcmStrategy(HcmStrategy.Preference.HOSTS).place(request);
        assertThat(hosts.metrics().get("communicationCost")).isLessThanOrEqualTo(provedOptimum * 1.25);
        assertThat(hosts.unplaced()).isEmpty();
        PlacementContractTest.assertContract(cluster, ClusterSnapshot.EMPTY, app, hosts);
    }

    /**
     * Generated app 61 has two call graphs that never meet. With the hosts-first order the second one's group fits on
     * an empty host of another server only once the backups the traversal put there move to a third server; then its
     * cost is 0, as ilp-comm proves. On app 85 energy-aware HCM leaves a KVS instance on another server's SmartNIC;
     * refining the two SmartNICs that exchange the most traffic swaps it with instances that talk less, and reaches
     * the optimum CP-SAT proves for ilp-energy's objective, with the same kinds of cores.
     */
    @Test
    void movesBackupsOutOfTheWayAndRefinesBetweenServers() {
        RandomApps generator = new RandomApps(RandomApps.Parameters.DEFAULTS);
        Cluster cluster = CLUSTERS.get(0);
        AppSpec two = generator.generate(61);
        PlacementRequest request = new PlacementRequest(cluster, ClusterSnapshot.EMPTY, two, 0, Duration.ofSeconds(1));
        PlacementResult hosts = new HcmStrategy(HcmStrategy.Preference.HOSTS).place(request);
        assertThat(hosts.metrics().get("communicationCost")).isZero();
        assertThat(hosts.unplaced()).isEmpty();
        PlacementContractTest.assertContract(cluster, ClusterSnapshot.EMPTY, two, hosts);

        AppSpec app = generator.generate(85);
        request = new PlacementRequest(cluster, ClusterSnapshot.EMPTY, app, 0, Duration.ofSeconds(1));
        PlacementResult traversal = new HcmStrategy(HcmStrategy.Preference.ENERGY, false).place(request);
        PlacementResult energy = new HcmStrategy().place(request);
        assertThat(energy.metrics().get("communicationCost")).isCloseTo(0.32965083325, within(1e-9));
        assertThat(kinds(cluster, energy)).isEqualTo(kinds(cluster, traversal));
        PlacementContractTest.assertContract(cluster, ClusterSnapshot.EMPTY, app, energy);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apps")
    void lowersOnlyTheCommunicationCost(AppSpec app) {
        int lowered = 0;
        for (Cluster cluster : CLUSTERS) {
            for (HcmStrategy.Preference p : HcmStrategy.Preference.values()) {
                // Algorithm 3's traversal alone, replayed into a fresh state, then the pass over it.
                PlacementRequest request = new PlacementRequest(cluster, ClusterSnapshot.EMPTY, app, 3,
                        Duration.ofSeconds(1));
                PlacementResult before = new HcmStrategy(p, false).place(request);
                PlacementContext ctx = PlacementContext.of(request);
                before.assignments().forEach(a -> ctx.state().assign(ctx.load().demandOf(a.instance()),
                        ctx.topology().indexOf(a.nodeId())));
                int moves = LocalityPass.improve(ctx, p == HcmStrategy.Preference.ENERGY);
                PlacementResult after = ctx.result("pass", before.unplaced(), Map.of());

                assertThat(after.metrics().get("communicationCost"))
                        .isLessThanOrEqualTo(before.metrics().get("communicationCost") + 1e-9);
                boolean gained = after.metrics().get("communicationCost")
                        < before.metrics().get("communicationCost") - 1e-9;
                assertThat(gained).as("moves made only when they gain").isEqualTo(moves > 0);
                lowered += gained ? 1 : 0;
                assertThat(after.assignments()).hasSameSizeAs(before.assignments());
                if (p == HcmStrategy.Preference.ENERGY) {
                    assertThat(kinds(cluster, after)).isEqualTo(kinds(cluster, before));
                    assertThat(after.metrics().get("modelledActiveWatts"))
                            .isCloseTo(before.metrics().get("modelledActiveWatts"), within(1e-6));
                }
                PlacementContractTest.assertContract(cluster, ClusterSnapshot.EMPTY, app, after);
            }
        }
        if (app.name().equals("gen-2")) {
            // The example apps' traversal already puts callers with callees; on most generated apps the pass gains
            // something (gen-2: in all four runs when this test was written).
            assertThat(lowered).as("runs where the pass lowered the cost").isPositive();
        }
    }

    private static Map<String, Object> kinds(Cluster cluster, PlacementResult r) {
        Map<String, Object> kinds = new HashMap<>();
        for (Assignment a : r.assignments()) {
            kinds.put(a.instance().id(), cluster.node(a.nodeId()).orElseThrow().capacity().coreClass());
        }
        return kinds;
    }
}
