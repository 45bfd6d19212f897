package io.e3.placement.ilp;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelLoad;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.Instance;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.ResourceDemand;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.Scaling;
import io.e3.model.app.ServiceSpec;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.NodeKind;
import io.e3.model.topology.ServerTypes;
import io.e3.placement.ClusterSnapshot;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementMetrics;
import io.e3.placement.PlacementRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The ILP finds the true communication optimum: checked against every possible assignment of a small case. */
class IlpStrategyTest {

    /**
     * rack r0: s0, s1; rack r1 in another pod: s2; all Type1 (a host and one SmartNIC). With no two instances on one
     * node, at most two share a server, so some caller-callee pairs must cross servers: every level is priced.
     */
    private static final Cluster CLUSTER = Clusters.named("small")
            .rack("r0", "p0", ServerTypes.TYPE1_SMARTNIC, 2)
            .rack("r1", "p1", ServerTypes.TYPE1_SMARTNIC, 1)
            .build();

    /** a (2 replicas) -> b (2 replicas): each instance takes 7 of a node's 12 cores, so no two share a node. */
    private static AppSpec spread(NodeKind pinOfB) {
        return AppSpec.of("app", List.of(
                        new ServiceSpec("a", MicroserviceType.KVS, 2, Scaling.REPLICATED, new ResourceDemand(7, 64),
                                null, 0),
                        new ServiceSpec("b", MicroserviceType.KVS, 2, Scaling.REPLICATED, new ResourceDemand(7, 64),
                                pinOfB, 0)),
                List.of(new ChannelSpec("a", "b", RoutingPolicy.ROUND_ROBIN, new ChannelLoad(1000, 512))));
    }

    /** The lowest communication cost over every feasible assignment (cores, memory, pins), by enumeration. */
    private static double bruteForceOptimum(AppSpec app) {
        List<Instance> instances = app.instances();
        List<ComputeNode> nodes = CLUSTER.nodes();
        LoadModel load = new LoadModel(app);
        double best = Double.POSITIVE_INFINITY;
        int[] choice = new int[instances.size()];
        long combinations = (long) Math.pow(nodes.size(), instances.size());
        for (long c = 0; c < combinations; c++) {
            long rest = c;
            for (int k = 0; k < choice.length; k++) {
                choice[k] = (int) (rest % nodes.size());
                rest /= nodes.size();
            }
            double[] cores = new double[nodes.size()];
            long[] memory = new long[nodes.size()];
            boolean feasible = true;
            List<Assignment> assignments = new ArrayList<>();
            for (int k = 0; k < choice.length && feasible; k++) {
                Instance i = instances.get(k);
                ComputeNode n = nodes.get(choice[k]);
                NodeKind pin = app.service(i.service()).orElseThrow().pin();
                cores[choice[k]] += load.demandOf(i).coresOn(n.capacity().coreClass());
                memory[choice[k]] += i.demand().memoryMiB();
                feasible = (pin == null || pin == n.kind())
                        && cores[choice[k]] <= n.capacity().cores() + 1e-9
                        && memory[choice[k]] <= n.capacity().memoryMiB();
                assignments.add(new Assignment(i, n.id(), i.demand()));
            }
            if (feasible) {
                best = Math.min(best, PlacementMetrics.communicationCost(CLUSTER, app, assignments));
            }
        }
        return best;
    }

    private static PlacementResult placeForCommunication(AppSpec app, long pairwiseLimit) {
        return new IlpStrategy(IlpStrategy.Objective.COMMUNICATION, pairwiseLimit).place(
                new PlacementRequest(CLUSTER, ClusterSnapshot.EMPTY, app, 0, Duration.ofSeconds(10)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pairwise, 1000000", "hierarchical, 0"})
    void findsTheCommunicationOptimumOfEveryPossibleAssignment(String formulation, long pairwiseLimit) {
        AppSpec app = spread(null);
        double optimum = bruteForceOptimum(app);
        assertThat(optimum).as("the case must make communication cost something").isPositive();
        PlacementResult r = placeForCommunication(app, pairwiseLimit);
        assertThat(r.unplaced()).isEmpty();
        assertThat(r.metrics().get("ilpOptimal")).isEqualTo(1.0);
        assertThat(r.metrics().get("communicationCost")).isCloseTo(optimum, within(1e-6));
        // The model prices what it chose exactly as the metrics do: objective in thousandths of byte/s x latency,
        // the cost in MB/s x latency. Four pairs that cannot all share a server exercise every level.
        assertThat(r.metrics().get("ilpObjective") / IlpStrategy.LATENCY_SCALE / 1e6).isCloseTo(optimum, within(1e-6));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pairwise, 1000000", "hierarchical, 0"})
    void findsTheOptimumWhenPinsForceTrafficOntoSmartNics(String formulation, long pairwiseLimit) {
        AppSpec app = spread(NodeKind.SMARTNIC);
        PlacementResult r = placeForCommunication(app, pairwiseLimit);
        assertThat(r.unplaced()).isEmpty();
        assertThat(r.metrics().get("communicationCost")).isCloseTo(bruteForceOptimum(app), within(1e-6));
        assertThat(r.assignments()).filteredOn(a -> a.instance().service().equals("b"))
                .allSatisfy(a -> assertThat(a.nodeId()).contains("/nic"));
    }

    @Test
    void refusesAModelTooLargeToSolveWithThatReason() {
        Cluster huge = Clusters.fatTree("huge", ServerTypes.TYPE2_SMARTNIC, 2000, 40, 8);
        AppSpec app = AppSpec.of("big", List.of(
                        new ServiceSpec("a", MicroserviceType.KVS, 40, Scaling.REPLICATED, ResourceDemand.DEFAULT, null,
                                0),
                        new ServiceSpec("b", MicroserviceType.KVS, 40, Scaling.REPLICATED, ResourceDemand.DEFAULT, null,
                                0)),
                List.of(new ChannelSpec("a", "b", RoutingPolicy.ROUND_ROBIN, new ChannelLoad(1000, 512))));
        PlacementResult r = new IlpStrategy(IlpStrategy.Objective.SERVICE_FABRIC).place(
                new PlacementRequest(huge, ClusterSnapshot.EMPTY, app, 0, Duration.ofSeconds(1)));
        assertThat(r.assignments()).isEmpty();
        assertThat(r.unplaced()).hasSize(80).allSatisfy(u ->
                assertThat(u.reasons().get(0)).contains("linear terms, more than the 1000000"));
    }

    @Test
    void theWallClockSlackIsThreeUnlessAValidPropertySaysOtherwise() {
        assertThat(IlpStrategy.wallClockSlack(null)).isEqualTo(3);
        assertThat(IlpStrategy.wallClockSlack("20")).isEqualTo(20);
        assertThatThrownBy(() -> IlpStrategy.wallClockSlack("0.5")).hasMessageContaining("'0.5' is not a number in");
        assertThatThrownBy(() -> IlpStrategy.wallClockSlack("fast")).hasMessageContaining("e3.ilp.wallClockSlack");
    }
}
