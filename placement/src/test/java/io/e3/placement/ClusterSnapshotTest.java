package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.ServerTypes;
import io.e3.placement.hcm.HcmStrategy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A snapshot's cluster-wide totals and a placement state's free capacity, which are kept up to date rather than
 * summed over every node, agree with the same figures summed over every node.
 */
class ClusterSnapshotTest {

    private static final Cluster CLUSTER = Clusters.fatTree("ft", ServerTypes.TYPE2_SMARTNIC, 12, 4, 2);

    @Test
    void totalsAndFreeCapacityMatchASumOverEveryNodeAsAppsArePlaced() {
        HcmStrategy hcm = new HcmStrategy();
        // A snapshot built from a map (a busy cluster), read against the cluster, then extended app by app.
        Map<String, NodeUsage> busy = new HashMap<>();
        busy.put(CLUSTER.nodes().get(0).id(), new NodeUsage(3, 4096, 1.5, 40, 0.5, 7));
        busy.put(CLUSTER.nodes().get(4).id(), new NodeUsage(0, 512, 0, 0, 0, 0));
        busy.put("not-in-this-cluster", NodeUsage.ofCores(1));
        ClusterSnapshot snapshot = new ClusterSnapshot(busy, List.of());
        assertMatchesSum(snapshot);
        // Reading it against the cluster keeps what it says of other nodes; a snapshot made by with() has only the
        // cluster's.
        assertThat(snapshot.usageOf("not-in-this-cluster").cores()).isEqualTo(1);
        int k = 0;
        for (String name : List.of("nfv-fin", "rta-ptc", "iot-ts", "nfv-fin")) {
            AppSpec app = Apps.example(name);
            app = new AppSpec(app.name() + "-" + k++, app.services(), app.channels(), app.entry());
            PlacementRequest request = new PlacementRequest(CLUSTER, snapshot, app, 1, Duration.ofSeconds(1));
            PlacementResult r = hcm.place(request);
            assertThat(r.assignments()).isNotEmpty();

            // The state after placing, read through the same snapshot, matches the sum too.
            PlacementState state = new PlacementState(new Topology(CLUSTER), snapshot, app.name());
            LoadModel load = new LoadModel(app);
            r.assignments().forEach(a -> state.assign(load.demandOf(a.instance()),
                    state.topology().indexOf(a.nodeId())));
            snapshot = snapshot.with(CLUSTER, app, r);
            assertStateMatches(state, snapshot);
            assertThat(r.metrics().get("nodesUsed")).isEqualTo(snapshot.totals(CLUSTER).nodesUsed());
            assertMatchesSum(snapshot);
        }
        assertThat(snapshot.usage()).doesNotContainKey("not-in-this-cluster");
        assertThat(snapshot.assignmentsOf("nfv-fin-0")).hasSize((int) snapshot.assignments().stream()
                .filter(a -> a.instance().app().equals("nfv-fin-0")).count()).isNotEmpty();
    }

    @Test
    void unassigningGivesBackExactlyWhatWasReserved() {
        AppSpec app = Apps.example("rta-sf");
        PlacementState state = new PlacementState(new Topology(CLUSTER), ClusterSnapshot.EMPTY, app.name());
        LoadModel load = new LoadModel(app);
        for (int i = 0; i < app.instances().size(); i++) {
            state.assign(load.demandOf(app.instances().get(i)), i % CLUSTER.nodes().size());
        }
        app.instances().forEach(i -> assertThat(state.unassign(i.id())).isTrue());
        for (int n = 0; n < CLUSTER.nodes().size(); n++) {
            ComputeNode node = CLUSTER.nodes().get(n);
            assertThat(state.freeCores(n)).isCloseTo(node.capacity().cores(), within(1e-9));
            assertThat(state.freeMemoryMiB(n)).isEqualTo(node.capacity().memoryMiB());
            assertThat(state.activeWatts(n)).isCloseTo(0, within(1e-9));
        }
        assertThat(state.totals().nodesUsed()).isZero();
    }

    private static void assertStateMatches(PlacementState state, ClusterSnapshot after) {
        for (int n = 0; n < CLUSTER.nodes().size(); n++) {
            ComputeNode node = CLUSTER.nodes().get(n);
            NodeUsage u = after.usageOf(node.id());
            assertThat(state.freeCores(n)).isCloseTo(node.capacity().cores() - u.cores(), within(1e-9));
            assertThat(state.freeMemoryMiB(n)).isEqualTo(node.capacity().memoryMiB() - u.memoryMiB());
            assertThat(state.freeBandwidthGbps(n)).isCloseTo(node.capacity().bandwidthGbps() - u.bandwidthGbps(),
                    within(1e-9));
            assertThat(state.activeWatts(n)).isCloseTo(u.activeWatts(), within(1e-9));
            assertThat(state.utilisation(n)).isEqualTo(u.utilisation());
        }
        ClusterSnapshot.Totals t = state.totals();
        ClusterSnapshot.Totals s = after.totals(CLUSTER);
        assertThat(t.nodesUsed()).isEqualTo(s.nodesUsed());
        assertThat(t.activeWatts()).isCloseTo(s.activeWatts(), within(1e-6));
        assertThat(t.utilisationSum()).isCloseTo(s.utilisationSum(), within(1e-9));
        assertThat(t.maxUtilisation()).isCloseTo(s.maxUtilisation(), within(1e-12));
    }

    private static void assertMatchesSum(ClusterSnapshot snapshot) {
        int used = 0;
        double sum = 0;
        double max = 0;
        double watts = 0;
        for (ComputeNode node : CLUSTER.nodes()) {
            NodeUsage u = snapshot.usageOf(node.id());
            watts += u.activeWatts();
            if (u.cores() > 1e-12 || u.memoryMiB() > 0) {
                used++;
                double util = u.cores() / node.capacity().cores();
                sum += util;
                max = Math.max(max, util);
            }
        }
        ClusterSnapshot.Totals t = snapshot.totals(CLUSTER);
        assertThat(t.nodesUsed()).isEqualTo(used).isPositive();
        assertThat(t.utilisationSum()).isCloseTo(sum, within(1e-9));
        assertThat(t.maxUtilisation()).isCloseTo(max, within(1e-12));
        assertThat(t.activeWatts()).isCloseTo(watts, within(1e-6));
    }
}
