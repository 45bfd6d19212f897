package io.e3.simulator;

import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.CoreClass;
import io.e3.model.topology.ServerTypes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A single node of one core checked against queueing theory. */
class SimulatorQueueingTest {

    /** Recommend on a beefy core: 4,100 requests/s on 12 cores (Table 5.1), so 2.93 ms a request. */
    private static final double SERVICE_SECONDS =
            MicroserviceProfile.of(MicroserviceType.RECOMMEND).serviceTimeSeconds(CoreClass.BEEFY, 512);
    /** Client to host and back through the ToR: one host round trip (20 µs), plus the 320-byte reply at 20 Gb/s. */
    private static final double NETWORK_SECONDS = 20e-6 + 320 * 8 / 20e9;

    private static Simulator simulator(ClientModel client, double seconds) {
        Scenario s = Scenario.of(Fixtures.oneCore(), List.of(Fixtures.single("q", MicroserviceType.RECOMMEND)));
        return Simulator.place(s, SimulationConfig.builder().client(client).durationSeconds(seconds)
                .warmupSeconds(5).orchestrate(false).seed(7).build());
    }

    @Test
    void meanLatencyOfPoissonArrivalsMatchesTheMD1Formula() {
        double rho = 0.5;
        SimulationResult r = simulator(ClientModel.poisson(rho / SERVICE_SECONDS), 1000).run();
        // Pollaczek-Khinchine for deterministic service: Wq = rho * S / (2 (1 - rho)).
        double expected = NETWORK_SECONDS + SERVICE_SECONDS + rho * SERVICE_SECONDS / (2 * (1 - rho));
        assertThat(r.latency().meanMicros() / 1e6).isCloseTo(expected, within(0.03 * expected));
    }

    @Test
    void roundRobinSteeringIsASharedFifoQueueWhenServiceTimesAreEqual() {
        // With equal service times, the first core to be free is always the one that took the request c places
        // before: the agents' round-robin steering is then exactly an M/D/c queue.
        Scenario s = Scenario.of(Clusters.of(ServerTypes.BEEFY, 1),
                List.of(Fixtures.single("q", MicroserviceType.RECOMMEND)));
        SimulationConfig.Builder b = SimulationConfig.builder().client(ClientModel.poisson(0.8 * 12 / SERVICE_SECONDS))
                .durationSeconds(50).warmupSeconds(5).orchestrate(false);
        Simulator sim = Simulator.place(s, b.build());
        assertThat(sim.with(b.coreQueueing(CoreQueueing.SHARED_FIFO).build()).run().latency())
                .isEqualTo(sim.run().latency());
    }

    @Test
    void aSharedQueueWaitsLessThanRoundRobinWhenServiceTimesDiffer() {
        // Recommend (2.9 ms) and KVS (1 µs) share a 12-core host: steered in turn, a KVS request can wait behind a
        // Recommend while another core is free.
        Scenario s = Scenario.of(Clusters.of(ServerTypes.BEEFY, 1), List.of(
                Fixtures.single("slow", MicroserviceType.RECOMMEND), Fixtures.single("fast", MicroserviceType.KVS)));
        SimulationConfig.Builder b = SimulationConfig.builder().client(ClientModel.poisson(2 * 0.7 * 12 / SERVICE_SECONDS))
                .durationSeconds(50).warmupSeconds(5).orchestrate(false);
        Simulator sim = Simulator.place(s, b.build());
        SimulationResult roundRobin = sim.run();
        SimulationResult shared = sim.with(b.coreQueueing(CoreQueueing.SHARED_FIFO).build()).run();
        assertThat(shared.latency().meanMicros()).isLessThan(0.8 * roundRobin.latency().meanMicros());
        assertThat(shared.throughput()).isCloseTo(roundRobin.throughput(), within(0.01 * roundRobin.throughput()));
    }

    @Test
    void constantArrivalsBelowCapacityWaitForNothing() {
        SimulationResult r = simulator(ClientModel.constant(0.9 / SERVICE_SECONDS), 60).run();
        assertThat(r.latency().maxMicros() / 1e6).isCloseTo(NETWORK_SECONDS + SERVICE_SECONDS,
                within(0.01 * SERVICE_SECONDS));
    }

    @Test
    void throughputEqualsOfferedLoadBelowCapacity() {
        double offered = 0.7 / SERVICE_SECONDS;
        SimulationResult r = simulator(ClientModel.poisson(offered), 200).run();
        assertThat(r.throughput()).isCloseTo(offered, within(0.03 * offered));
    }

    @Test
    void throughputCapsAtCapacityAboveIt() {
        double capacity = 1 / SERVICE_SECONDS;
        SimulationResult r = simulator(ClientModel.constant(2 * capacity), 60).run();
        assertThat(r.throughput()).isCloseTo(capacity, within(0.01 * capacity));
        assertThat(r.nodes().get(0).utilisation()).isGreaterThan(0.99);
    }
}
