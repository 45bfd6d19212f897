package io.e3.simulator;

import io.e3.model.app.AppSpec;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.Scaling;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.NodeKind;
import io.e3.model.topology.ServerTypes;
import io.e3.simulator.SimulationResult.InstanceReport;
import io.e3.simulator.SimulationResult.NodeReport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.e3.simulator.Fixtures.channel;
import static io.e3.simulator.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Channels route as the manifests say, ECMP spreads host traffic over the SmartNIC ports, replies come back. */
class SimulatorRoutingTest {

    private static final int REQUESTS = 6_000;

    /** A gateway calling a sharded, a round-robin and a broadcast service. */
    private static AppSpec fanOut() {
        return new AppSpec("fan", List.of(
                service("gw", MicroserviceType.NATV4, 1, Scaling.REPLICATED, null, 0),
                service("kv", MicroserviceType.KVS, 4, Scaling.SHARDED, null, 0),
                service("rr", MicroserviceType.COUNT, 3, Scaling.REPLICATED, null, 0),
                service("bc", MicroserviceType.EMA, 3, Scaling.REPLICATED, null, 0)),
                List.of(channel("gw", "kv", RoutingPolicy.SHARD_KEYED),
                        channel("gw", "rr", RoutingPolicy.ROUND_ROBIN),
                        channel("gw", "bc", RoutingPolicy.BROADCAST)),
                List.of("gw"));
    }

    private static SimulationResult run(AppSpec app, io.e3.model.topology.Cluster cluster) {
        // 6,000 requests at 6,000/s: far below every node's capacity, and all complete within the second second.
        return Simulator.place(Scenario.of(cluster, List.of(app)), SimulationConfig.builder()
                .client(ClientModel.constant(REQUESTS)).durationSeconds(2).orchestrate(false).build()).run();
    }

    private static Map<String, Long> requestsByInstance(SimulationResult r) {
        return r.instances().stream().collect(Collectors.toMap(InstanceReport::id, InstanceReport::requests));
    }

    @Test
    void everyRequestCompletesOnceItsWholeFanOutHasReplied() {
        SimulationResult r = run(fanOut(), Clusters.of(ServerTypes.TYPE1_SMARTNIC, 3));
        assertThat(r.completed()).isEqualTo(2L * REQUESTS);
        assertThat(r.engine().inFlightAtEnd()).isLessThan(50);
        assertThat(requestsByInstance(r).get("fan/gw.0")).isEqualTo(2L * REQUESTS);
    }

    @Test
    void broadcastReachesEveryInstanceAndRoundRobinTakesTurns() {
        Map<String, Long> by = requestsByInstance(run(fanOut(), Clusters.of(ServerTypes.TYPE1_SMARTNIC, 3)));
        long sent = by.get("fan/gw.0");
        for (int i = 0; i < 3; i++) {
            assertThat(by.get("fan/bc." + i)).isEqualTo(sent);
            assertThat((double) by.get("fan/rr." + i)).isCloseTo(sent / 3.0, within(1.0));
        }
    }

    @Test
    void shardKeyedSpreadsRandomKeysOverTheShards() {
        Map<String, Long> by = requestsByInstance(run(fanOut(), Clusters.of(ServerTypes.TYPE1_SMARTNIC, 3)));
        long sent = by.get("fan/gw.0");
        for (int i = 0; i < 4; i++) {
            assertThat((double) by.get("fan/kv." + i)).isCloseTo(sent / 4.0, within(0.1 * sent / 4));
        }
        assertThat(by.entrySet().stream().filter(e -> e.getKey().startsWith("fan/kv."))
                .mapToLong(Map.Entry::getValue).sum()).isEqualTo(sent);
    }

    @Test
    void ecmpSpreadsHostTrafficOverTheServersSmartNicPorts() {
        AppSpec onHost = AppSpec.of("host-only", List.of(
                service("svc", MicroserviceType.KVS, 1, Scaling.REPLICATED, NodeKind.HOST, 0)), List.of());
        SimulationResult r = run(onHost, Clusters.of(ServerTypes.TYPE2_SMARTNIC, 1));
        List<NodeReport> nics = r.nodes().stream().filter(n -> n.kind().equals("SMARTNIC")).toList();
        assertThat(nics).hasSize(4);
        long total = nics.stream().mapToLong(NodeReport::forwardedPackets).sum();
        // Every client request enters the host through one port's traffic manager: 2 s at 6,000/s.
        assertThat(total).isEqualTo(2L * REQUESTS);
        for (NodeReport nic : nics) {
            assertThat((double) nic.forwardedPackets()).isCloseTo(total / 4.0, within(0.1 * total / 4));
        }
    }

    @Test
    void closedLoopKeepsItsRequestsOutstandingAndObeysLittlesLaw() {
        AppSpec app = Fixtures.single("q", MicroserviceType.RECOMMEND);
        SimulationResult r = Simulator.place(Scenario.of(Fixtures.oneCore(), List.of(app)), SimulationConfig.builder()
                .client(ClientModel.closed(4)).durationSeconds(20).warmupSeconds(1).orchestrate(false).build()).run();
        double service = io.e3.model.app.MicroserviceProfile.of(MicroserviceType.RECOMMEND)
                .serviceTimeSeconds(io.e3.model.topology.CoreClass.BEEFY, 512);
        assertThat(r.throughput()).isCloseTo(1 / service, within(0.01 / service));
        // Little: N = X * R, so the mean latency is 4 / X.
        assertThat(r.latency().meanMicros() / 1e6).isCloseTo(4 / r.throughput(), within(0.02 * 4 / r.throughput()));
    }
}
