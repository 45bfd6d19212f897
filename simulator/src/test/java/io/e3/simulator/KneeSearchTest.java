package io.e3.simulator;

import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import io.e3.model.perf.Knee;
import io.e3.model.topology.CoreClass;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class KneeSearchTest {

    private static final double SERVICE_SECONDS =
            MicroserviceProfile.of(MicroserviceType.RECOMMEND).serviceTimeSeconds(CoreClass.BEEFY, 512);
    private static final double CAPACITY = 1 / SERVICE_SECONDS;

    private static Simulator oneCore(ClientModel client) {
        Scenario s = Scenario.of(Fixtures.oneCore(), List.of(Fixtures.single("q", MicroserviceType.RECOMMEND)));
        return Simulator.place(s, SimulationConfig.builder().client(client).orchestrate(false).build());
    }

    @Test
    void withConstantArrivalsTheKneeIsTheBottlenecksCapacity() {
        Knee.Result k = KneeSearch.find(oneCore(ClientModel.constant(10)),
                new KneeSearch.Settings(10, 4, 1, 0.25, 0.02, 8, 1e6), ProgressListener.NONE);
        assertThat(k.throughput()).isCloseTo(CAPACITY, within(0.03 * CAPACITY));
        assertThat(k.steps()).anySatisfy(s -> assertThat(s.belowKnee()).isFalse());
        assertThat(k.baselineMeanMicros() / 1e6).isCloseTo(SERVICE_SECONDS, within(0.05 * SERVICE_SECONDS));
    }

    @Test
    void withPoissonArrivalsQueueingStartsEarlierAsTheMD1FormulaSays() {
        Knee.Result k = KneeSearch.find(oneCore(ClientModel.poisson(10)),
                new KneeSearch.Settings(10, 40, 5, 0.25, 0.02, 6, 1e6), ProgressListener.NONE);
        // Wq = rho S / (2 (1 - rho)) reaches 25 % of S (plus 20 µs of network) at rho = 0.335.
        assertThat(k.throughput() / CAPACITY).isCloseTo(0.335, within(0.06));
    }

    @Test
    void refusesAStartRatePastTheKneeAndAClosedLoopClient() {
        assertThatThrownBy(() -> KneeSearch.find(oneCore(ClientModel.constant(10)),
                KneeSearch.Settings.from(3 * CAPACITY), ProgressListener.NONE))
                .hasMessageContaining("already past the knee");
        assertThatThrownBy(() -> KneeSearch.find(oneCore(ClientModel.closed(2)), KneeSearch.Settings.from(10),
                ProgressListener.NONE)).hasMessageContaining("open-loop");
        assertThatThrownBy(() -> KneeSearch.Settings.from(0)).hasMessageContaining("start rate must be > 0");
    }
}
