package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.app.Instance;
import io.e3.model.app.MicroserviceType;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.placement.Unplaced;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.NodeKind;
import io.e3.model.topology.ServerTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link PlacementStrategy} must do (its contract): extend once per strategy.
 */
public abstract class PlacementContractTest {

    static final Cluster THREE_TYPE1 = Clusters.of(ServerTypes.TYPE1_SMARTNIC, 3);
    static final Cluster TWO_TYPE2 = Clusters.of(ServerTypes.TYPE2_SMARTNIC, 2);

    abstract PlacementStrategy strategy();

    /** The time limit per placement; search strategies may lower it to keep the suite short. */
    Duration timeLimit() {
        return Duration.ofSeconds(5);
    }

    PlacementResult place(Cluster cluster, ClusterSnapshot snapshot, AppSpec app) {
        return strategy().place(new PlacementRequest(cluster, snapshot, app, 42, timeLimit()));
    }

    static List<String> examples() {
        return Apps.EXAMPLES;
    }

    /** Checks the whole contract for one result; returns it for further checks. */
    public static PlacementResult assertContract(Cluster cluster, ClusterSnapshot before, AppSpec app, PlacementResult r) {
        // Every instance is placed or explained, never both, never dropped.
        Set<String> placed = new HashSet<>();
        r.assignments().forEach(a -> assertThat(placed.add(a.instance().id())).as("placed once").isTrue());
        Set<String> unplaced = new HashSet<>();
        for (Unplaced u : r.unplaced()) {
            assertThat(u.reasons()).isNotEmpty();
            assertThat(unplaced.add(u.instance().id())).isTrue();
        }
        Set<String> both = new HashSet<>(placed);
        both.retainAll(unplaced);
        assertThat(both).as("placed and unplaced").isEmpty();
        Set<String> all = new HashSet<>();
        app.instances().forEach(i -> all.add(i.id()));
        Set<String> covered = new HashSet<>(placed);
        covered.addAll(unplaced);
        assertThat(covered).isEqualTo(all);

        // Capacities never exceeded, counting what the cluster already carried.
        Map<String, double[]> used = new HashMap<>();
        before.usage().forEach((node, u) -> used.put(node, new double[] {u.cores(), u.memoryMiB()}));
        for (Assignment a : r.assignments()) {
            double[] u = used.computeIfAbsent(a.nodeId(), k -> new double[2]);
            u[0] += a.reserved().cores();
            u[1] += a.reserved().memoryMiB();
            assertThat(a.reserved().cores()).isGreaterThanOrEqualTo(a.instance().demand().cores());
            assertThat(a.reserved().memoryMiB()).isEqualTo(a.instance().demand().memoryMiB());
        }
        used.forEach((nodeId, u) -> {
            ComputeNode node = cluster.node(nodeId).orElseThrow();
            assertThat(u[0]).as("cores on " + nodeId).isLessThanOrEqualTo(node.capacity().cores() + 1e-9);
            assertThat(u[1]).as("memory on " + nodeId).isLessThanOrEqualTo(node.capacity().memoryMiB());
        });

        // Pins: the manifest's, and SQL on hosts unless the manifest says otherwise.
        Map<String, String> serverOf = new HashMap<>();
        for (Assignment a : r.assignments()) {
            Instance i = a.instance();
            ComputeNode node = cluster.node(a.nodeId()).orElseThrow();
            NodeKind pin = app.service(i.service()).orElseThrow().pin();
            if (pin == null && i.type() == MicroserviceType.SQL) {
                pin = NodeKind.HOST;
            }
            if (pin != null) {
                assertThat(node.kind()).as(i.id() + " pinned").isEqualTo(pin);
            }
            serverOf.put(i.id(), node.serverId());
        }
        // A backup only with its primary (placed now or before).
        for (Assignment a : r.assignments()) {
            if (a.instance().isBackup()) {
                assertThat(placed.contains(a.instance().primary()) || before.assignments().stream()
                        .anyMatch(b -> b.instance().id().equals(a.instance().primary())))
                        .as(a.instance().id() + " placed without its primary").isTrue();
            }
        }
        // Bandwidth: the expected traffic of what each node carries fits its links.
        LoadModel load = new LoadModel(app);
        Map<String, Double> gbps = new HashMap<>();
        before.usage().forEach((node, u) -> gbps.put(node, u.bandwidthGbps()));
        r.assignments().forEach(a -> gbps.merge(a.nodeId(), load.demandOf(a.instance()).bandwidthGbps(), Double::sum));
        gbps.forEach((nodeId, g) -> assertThat(g).as("bandwidth on " + nodeId)
                .isLessThanOrEqualTo(cluster.node(nodeId).orElseThrow().capacity().bandwidthGbps() + 1e-9));
        // Fault domains: a backup shares no server with its primary or its sibling backups.
        Map<String, Set<String>> serversOfSet = new HashMap<>();
        for (Assignment a : r.assignments()) {
            String set = a.instance().isBackup() ? a.instance().primary() : a.instance().id();
            assertThat(serversOfSet.computeIfAbsent(set, k -> new HashSet<>()).add(serverOf.get(a.instance().id())))
                    .as("replica set of " + set + " on distinct servers").isTrue();
        }
        assertThat(r.metrics()).containsKeys("communicationCost", "elapsedMillis");
        return r;
    }

    @ParameterizedTest(name = "{0} on 3x Type1-SmartNIC")
    @MethodSource("examples")
    void keepsTheContractForEveryExampleApp(String name) {
        AppSpec app = Apps.example(name);
        assertContract(THREE_TYPE1, ClusterSnapshot.EMPTY, app, place(THREE_TYPE1, ClusterSnapshot.EMPTY, app));
    }

    /** The contract plus: where every instance fits, every instance is placed. */
    static void assertPlacesAll(Cluster cluster, AppSpec app, PlacementResult r) {
        assertContract(cluster, ClusterSnapshot.EMPTY, app, r);
        assertThat(r.unplaced()).as("unplaced where everything fits").isEmpty();
        assertThat(r.assignments()).hasSize(app.instanceCount());
    }

    @ParameterizedTest(name = "{0} on 2x Type2-SmartNIC")
    @MethodSource("examples")
    void placesEveryInstanceWhereEverythingFits(String name) {
        // 2 servers of 16 host cores, 4 x 12 SmartNIC cores and 144 GB each: room for any example app with its backups.
        AppSpec app = Apps.example(name);
        assertPlacesAll(TWO_TYPE2, app, place(TWO_TYPE2, ClusterSnapshot.EMPTY, app));
    }

    @Test
    void aStrategyThatPlacesNothingBreaksTheContract() {
        AppSpec app = Apps.example("nfv-fin");
        PlacementResult nothing = new PlacementResult("nothing", List.of(), app.instances().stream()
                .map(i -> new Unplaced(i, List.of("declined"))).toList(), Map.of("communicationCost", 0.0,
                "elapsedMillis", 0.0));
        assertThatThrownBy(() -> assertPlacesAll(TWO_TYPE2, app, nothing)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("unplaced where everything fits");
    }

    @Test
    void placesNothingOnNodesTakenOutOfService() {
        AppSpec app = Apps.example("nfv-fin");
        List<String> out = List.of("s0/nic0", "s1/host");
        ClusterSnapshot before = ClusterSnapshot.EMPTY.withUnavailable(TWO_TYPE2, out);
        PlacementResult r = assertContract(TWO_TYPE2, before, app, place(TWO_TYPE2, before, app));
        assertThat(r.assignments()).extracting(Assignment::nodeId).doesNotContainAnyElementsOf(out);
        assertThat(r.unplaced()).as("the other nodes have room").isEmpty();
    }

    @Test
    void explainsWhatDoesNotFitInsteadOfDroppingIt() {
        Cluster one = Clusters.of(ServerTypes.TYPE1_SMARTNIC, 1);
        AppSpec app = Apps.example("iot-ts"); // 108 instances, with backups that need another server
        PlacementResult r = assertContract(one, ClusterSnapshot.EMPTY, app, place(one, ClusterSnapshot.EMPTY, app));
        // One server is one fault domain: of each of the 54 primary-backup pairs, at most one is placed.
        assertThat(r.unplaced()).hasSizeGreaterThanOrEqualTo(54);
    }

    @Test
    void appsPlacedInOrderSeeEachOthersLoad() {
        ClusterSnapshot snapshot = ClusterSnapshot.EMPTY;
        for (String name : List.of("iot-ts", "nfv-fin", "rta-sf")) {
            AppSpec app = Apps.example(name);
            PlacementResult r = assertContract(THREE_TYPE1, snapshot, app, place(THREE_TYPE1, snapshot, app));
            snapshot = snapshot.with(THREE_TYPE1, app, r);
        }
    }

    @Test
    void isDeterministicForAFixedSeed() {
        AppSpec app = Apps.example("rta-shm");
        PlacementResult a = place(THREE_TYPE1, ClusterSnapshot.EMPTY, app);
        PlacementResult b = place(THREE_TYPE1, ClusterSnapshot.EMPTY, app);
        assertThat(b.assignments()).isEqualTo(a.assignments());
        assertThat(b.unplaced()).isEqualTo(a.unplaced());
    }

    @Test
    void manifestPinWinsOverTheSqlDefault() {
        AppSpec app = Apps.named("pinned").service("front", MicroserviceType.API_GATEWAY, 0.5)
                .service("db", MicroserviceType.SQL, 0.5, NodeKind.SMARTNIC, 0).chain();
        PlacementResult r = assertContract(THREE_TYPE1, ClusterSnapshot.EMPTY, app,
                place(THREE_TYPE1, ClusterSnapshot.EMPTY, app));
        assertThat(r.nodeOf("pinned/db.0")).hasValueSatisfying(n -> assertThat(n).contains("/nic"));
    }
}
