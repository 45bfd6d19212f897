package io.e3.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.model.app.MicroserviceType;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Determinism, input checks, output and progress of whole runs. */
class SimulatorTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    private static Scenario iotOnType1() throws Exception {
        return Scenario.fromManifests(List.of(EXAMPLES.resolve("clusters/3x-type1-smartnic.yaml"),
                EXAMPLES.resolve("apps/iot-ts.yaml")));
    }

    private static SimulationConfig poisson(long seed) {
        return SimulationConfig.builder().client(ClientModel.poisson(3_000)).durationSeconds(1).warmupSeconds(0.2)
                .seed(seed).build();
    }

    /** A result without the figures that depend on the machine (wall times). */
    private static SimulationResult withoutWallTimes(SimulationResult r) {
        SimulationResult.EngineStats e = r.engine();
        SimulationResult.ScenarioSummary s = r.scenario();
        return new SimulationResult(new SimulationResult.ScenarioSummary(s.cluster(), s.servers(), s.computeNodes(),
                s.apps(), s.drivenApps(), s.instances(), s.unplacedInstances(), s.placement(), 0), r.client(),
                r.durationSeconds(), r.warmupSeconds(), r.seed(), r.sent(), r.completed(), r.throughput(), r.latency(),
                r.power(), r.nodes(), r.instances(), r.migrations(), r.failovers(),
                new SimulationResult.EngineStats(e.events(), 0, 0, e.heartbeats(), e.decisions(), e.retransmissions(),
                        e.trafficManagerDrops(), e.inFlightAtEnd()));
    }

    @Test
    void theSameSeedGivesTheSameResult() throws Exception {
        Simulator sim = Simulator.place(iotOnType1(), poisson(42));
        SimulationResult a = sim.run();
        SimulationResult b = Simulator.place(iotOnType1(), poisson(42)).run();
        assertThat(withoutWallTimes(b)).isEqualTo(withoutWallTimes(a));
        assertThat(a.completed()).isPositive();
    }

    @Test
    void anotherSeedGivesOtherArrivals() throws Exception {
        Simulator sim = Simulator.place(iotOnType1(), poisson(1));
        assertThat(sim.with(poisson(2)).run().latency()).isNotEqualTo(sim.run().latency());
    }

    @Test
    void resultIsWrittenAsJsonWithItsPowerLabelledModelled() throws Exception {
        SimulationResult r = Simulator.place(iotOnType1(), poisson(1)).run();
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(r));
        assertThat(json.path("throughput").asDouble()).isEqualTo(r.throughput());
        assertThat(json.path("latency").path("p999Micros").asDouble()).isEqualTo(r.latency().p999Micros());
        assertThat(json.path("power").path("modelled").asBoolean()).isTrue();
        assertThat(json.path("power").path("requestsPerJoule").asDouble()).isPositive();
        assertThat(json.path("nodes")).hasSize(6);
        assertThat(json.path("engine").path("eventsPerSecond").asDouble()).isPositive();
    }

    @Test
    void powerIsIdlePlusTheActiveEnergyOfTheRequestsServed() throws Exception {
        SimulationResult r = Simulator.place(iotOnType1(), poisson(1)).run();
        // Table 5.4: three Type1-SmartNIC servers idle at 98 W each.
        assertThat(r.power().idleWatts()).isEqualTo(3 * 98.0);
        assertThat(r.power().activeWatts()).isPositive();
        assertThat(r.power().totalWatts()).isEqualTo(r.power().idleWatts() + r.power().activeWatts());
        assertThat(r.power().requestsPerJoule()).isEqualTo(r.throughput() / r.power().totalWatts());
    }

    @Test
    void progressIsReportedAsSimulatedTimeAdvances() throws Exception {
        List<Progress> seen = new ArrayList<>();
        Simulator.place(iotOnType1(), poisson(1).toBuilder().progressEverySeconds(0.25).build()).run(seen::add);
        assertThat(seen).extracting(Progress::simulatedSeconds).containsExactly(0.25, 0.5, 0.75, 1.0);
        assertThat(seen.get(3).events()).isGreaterThan(seen.get(0).events());
    }

    @Test
    void rejectsAnUnknownApp() {
        Scenario s = Scenario.of(Clusters.of(ServerTypes.BEEFY, 1), List.of(Fixtures.single("a", MicroserviceType.KVS)));
        assertThatThrownBy(() -> s.driving(List.of("nope"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown app 'nope'").hasMessageContaining("[a]");
    }

    @Test
    void rejectsARateOfZeroOrBelow() {
        assertThatThrownBy(() -> ClientModel.poisson(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate must be > 0");
        assertThatThrownBy(() -> SimulationConfig.builder().rate(-5)).hasMessageContaining("got -5.0");
        assertThatThrownBy(() -> new LoadStep(1, 0)).hasMessageContaining("rate must be > 0");
    }

    @Test
    void rejectsANegativeDuration() {
        assertThatThrownBy(() -> SimulationConfig.builder().durationSeconds(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("duration must be > 0 s, got -1.0");
        assertThatThrownBy(() -> SimulationConfig.builder().warmupSeconds(2).durationSeconds(1).build())
                .hasMessageContaining("warm-up must be in [0, duration 1.0 s)");
    }

    @Test
    void rejectsAFailureOfAnUnknownNodeAndAnUnknownStrategy() {
        Scenario s = Scenario.of(Clusters.of(ServerTypes.BEEFY, 1), List.of(Fixtures.single("a", MicroserviceType.KVS)));
        assertThatThrownBy(() -> Simulator.place(s, SimulationConfig.builder()
                .failure(new NodeFailure(1, "s9/host")).build())).hasMessageContaining("unknown node 's9/host'");
        assertThatThrownBy(() -> SimulationConfig.builder().placement("magic").build())
                .hasMessageContaining("unknown placement strategy 'magic'");
    }

    @Test
    void rejectsManifestsWithoutExactlyOneCluster() {
        assertThatThrownBy(() -> Scenario.fromManifests(List.of(EXAMPLES.resolve("apps/iot-ts.yaml"))))
                .hasMessageContaining("expected exactly one Cluster manifest, got 0");
    }
}
