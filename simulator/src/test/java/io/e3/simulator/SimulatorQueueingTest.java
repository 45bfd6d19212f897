package io.e3.simulator;

import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import io.e3.model.topology.CoreClass;
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
