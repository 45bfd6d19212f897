package io.e3.simulator;

import io.e3.model.app.AppSpec;
import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.ResourceDemand;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.Scaling;
import io.e3.model.app.ServiceSpec;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.CoreClass;
import io.e3.model.topology.HopClass;
import io.e3.model.topology.NodeKind;
import io.e3.model.topology.ServerTypes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.e3.simulator.Fixtures.channel;
import static io.e3.simulator.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Latencies add up hop by hop as the node agents' emulation has them, and links hold messages by their size. */
class SimulatorFabricTest {

    private static final double HOST_RTT = 20e-6;

    private static double oneWay(HopClass hop) {
        return hop.relativeLatency() * HOST_RTT / 2;
    }

    private static SimulationResult lightLoad(Scenario scenario, FabricSettings fabric) {
        return Simulator.place(scenario, SimulationConfig.builder().client(ClientModel.constant(1_000))
                .durationSeconds(1).orchestrate(false).fabric(fabric).build()).run();
    }

    @Test
    void aRequestPaysEveryHopOfItsPathAndNoQueueing() {
        // One Type1 server: a NATv4 gateway pinned to the host calls a KVS pinned to the SmartNIC.
        AppSpec app = new AppSpec("path", List.of(
                service("gw", MicroserviceType.NATV4, 1, Scaling.REPLICATED, NodeKind.HOST, 0),
                service("kv", MicroserviceType.KVS, 1, Scaling.REPLICATED, NodeKind.SMARTNIC, 0)),
                List.of(channel("gw", "kv", RoutingPolicy.ROUND_ROBIN)), List.of("gw"));
        SimulationResult r = lightLoad(Scenario.of(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 1), List.of(app)),
                FabricSettings.DEFAULT);

        double clientToHost = oneWay(HopClass.HOST_TOR)        // through the ToR, the PCIe leg included
                + (512 + 64 + 24) * 8 / 20e9;                   // and the SmartNIC's traffic manager at line rate
        double gateway = MicroserviceProfile.of(MicroserviceType.NATV4).serviceTimeSeconds(CoreClass.BEEFY, 512);
        double kvs = MicroserviceProfile.of(MicroserviceType.KVS).serviceTimeSeconds(CoreClass.WIMPY, 512);
        double pcieBothWays = 2 * oneWay(HopClass.PCIE);
        double hostToClient = (256 + 64) * 8 / 20e9 + oneWay(HopClass.HOST_TOR);
        double expected = clientToHost + gateway + pcieBothWays + kvs + hostToClient;
        // The KVS on the SmartNIC adds a little interference (κ = 0.1 at under 1 % of its cores): well under 1 %.
        assertThat(r.latency().meanMicros() / 1e6).isCloseTo(expected, within(0.005 * expected));
    }

    @Test
    void aLinkHoldsAMessageForItsSizeOverTheBandwidth() {
        Scenario s = Scenario.of(Fixtures.oneCore(), List.of(Fixtures.single("q", MicroserviceType.EMA)));
        SimulationResult small = lightLoad(s, FabricSettings.DEFAULT);
        FabricSettings bigReplies = new FabricSettings(20, 20, 4096, 64, 60_000, 4);
        SimulationResult big = lightLoad(s, bigReplies);
        // The reply leaves the host's 20 Gb/s link: (60,000 - 256) bytes more take 23.9 µs more.
        double extra = (60_000 - 256) * 8 / 20e9;
        assertThat((big.latency().meanMicros() - small.latency().meanMicros()) / 1e6)
                .isCloseTo(extra, within(0.01 * extra));
    }

    @Test
    void crossingRacksAndPodsCostsTheirHopClasses() {
        // Two Beefy servers, each its own rack and pod; each service asks for all 12 cores, so they sit apart.
        ResourceDemand wholeHost = new ResourceDemand(12, 64);
        AppSpec spread = new AppSpec("far", List.of(
                new ServiceSpec("a", MicroserviceType.NATV4, 1, Scaling.REPLICATED, wholeHost, NodeKind.HOST, 0),
                new ServiceSpec("b", MicroserviceType.NATV4, 1, Scaling.REPLICATED, wholeHost, NodeKind.HOST, 0)),
                List.of(channel("a", "b", RoutingPolicy.ROUND_ROBIN)), List.of("a"));
        SimulationResult r = lightLoad(Scenario.of(Clusters.fatTree("ft", ServerTypes.BEEFY, 2, 1, 1),
                List.of(spread)), FabricSettings.DEFAULT);
        double service = MicroserviceProfile.of(MicroserviceType.NATV4).serviceTimeSeconds(CoreClass.BEEFY, 512);
        double links = (2 * (512 + 64) + 2 * (256 + 64)) * 8 / 20e9;
        double expected = 2 * oneWay(HopClass.HOST_TOR) + 2 * oneWay(HopClass.CROSS_POD) + 2 * service + links
                - (512 + 64) * 8 / 20e9; // the client has no link of its own
        assertThat(r.latency().meanMicros() / 1e6).isCloseTo(expected, within(0.005 * expected));
    }
}
