package io.e3.simulator;

import io.e3.model.app.AppSpec;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.Scaling;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import io.e3.simulator.SimulationResult.InstanceReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.e3.simulator.Fixtures.channel;
import static io.e3.simulator.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Node failures fail over to backups; overload makes the orchestrator migrate, and migrations are costed. */
class SimulatorFailureTest {

    /** A gateway and a store of 4 shards, each instance with one backup on another server. */
    private static AppSpec replicated() {
        return new AppSpec("kv", List.of(
                service("gw", MicroserviceType.NATV4, 1, Scaling.REPLICATED, null, 1),
                service("store", MicroserviceType.KVS, 4, Scaling.SHARDED, null, 1)),
                List.of(channel("gw", "store", RoutingPolicy.SHARD_KEYED)), List.of("gw"));
    }

    @Test
    void aFailedNodesShardsFailOverToTheirBackupsAndEveryRequestStillCompletes() {
        Scenario scenario = Scenario.of(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 3), List.of(replicated()));
        Simulator probe = Simulator.place(scenario, SimulationConfig.builder().durationSeconds(0.1).build());
        String victim = probe.deployment().placements().get(0).nodeOf("kv/store.0").orElseThrow();

        SimulationResult r = probe.with(SimulationConfig.builder().client(ClientModel.constant(5_000))
                .durationSeconds(3).failure(new NodeFailure(1.0, victim)).build()).run();

        assertThat(r.failovers()).anySatisfy(f -> {
            assertThat(f.nodeId()).isEqualTo(victim);
            assertThat(f.failedSeconds()).isEqualTo(1.0);
            // Declared down by the membership once no heartbeat came for 500 ms, at a 50 ms heartbeat tick.
            assertThat(f.detectedSeconds()).isCloseTo(1.55, within(0.051));
            assertThat(f.promoted()).isGreaterThanOrEqualTo(1);
            assertThat(f.stranded()).isZero();
        });
        InstanceReport backup = r.instances().stream().filter(i -> i.id().equals("kv/store.0.backup1")).findFirst()
                .orElseThrow();
        assertThat(backup.serving()).isTrue();
        assertThat(backup.requests()).isPositive();
        // Requests caught by the failure waited for the failover, then completed: none is lost.
        assertThat(r.sent() - r.completed()).isLessThan(20);
        assertThat(r.latency().maxMicros()).isGreaterThan(400_000);
    }

    @Test
    void anOverloadedSmartNicInstanceIsMigratedToItsHostAsTheOrchestratorDecides() {
        // Recommend is most efficient on a SmartNIC, so placement puts it there: 12,800 requests/s on 12 cores.
        AppSpec app = Fixtures.single("rec", MicroserviceType.RECOMMEND);
        Scenario scenario = Scenario.of(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 1), List.of(app));
        SimulationResult r = Simulator.place(scenario, SimulationConfig.builder().client(ClientModel.poisson(2_000))
                .loadStep(new LoadStep(2, 20_000)).durationSeconds(4).build()).run();

        assertThat(r.migrations()).isNotEmpty();
        MigrationRecord m = r.migrations().get(0);
        assertThat(m.instanceId()).isEqualTo("rec/svc.0");
        assertThat(m.fromNode()).isEqualTo("s0/nic0");
        assertThat(m.toNode()).isEqualTo("s0/host");
        assertThat(m.reason()).isEqualTo("OVERLOAD");
        assertThat(m.startSeconds()).isBetween(2.0, 2.5);
        // Cost: 5 ms setup plus the state (0.7 MiB, Recommend's measured heap) at 20 Gb/s, after the drain.
        assertThat(m.stateBytes()).isEqualTo(Math.round(0.7 * 1024 * 1024));
        assertThat(m.endSeconds() - m.startSeconds()).isGreaterThanOrEqualTo(0.005 + m.stateBytes() * 8 / 20e9);
        assertThat(m.heldRequests()).isPositive();
        assertThat(r.instances().get(0).node()).isEqualTo("s0/host");
    }

    @Test
    void aSmartNicStarvingItsHostIsRelievedByMovingItsBusiestInstance() {
        // Top ranker (κ = 1) on the SmartNIC slows its traffic manager, which every request to the host's KVS passes.
        // β = 5,000 instead of 20 makes a standing queue at 5,000 requests/s instead of hundreds of thousands.
        AppSpec rank = AppSpec.of("rank", List.of(service("svc", MicroserviceType.TOP_RANKER, 1, Scaling.REPLICATED,
                io.e3.model.topology.NodeKind.SMARTNIC, 0)), List.of());
        AppSpec kv = AppSpec.of("kv", List.of(service("svc", MicroserviceType.KVS, 1, Scaling.REPLICATED,
                io.e3.model.topology.NodeKind.HOST, 0)), List.of());
        Scenario scenario = Scenario.of(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 1), List.of(rank, kv));
        SimulationResult r = Simulator.place(scenario, SimulationConfig.builder().client(ClientModel.poisson(10_000))
                .fabric(FabricSettings.DEFAULT.withInterferenceGain(5_000)).durationSeconds(2).build()).run();

        assertThat(r.migrations()).anySatisfy(m -> {
            assertThat(m.reason()).isEqualTo("HOST_STARVATION");
            assertThat(m.instanceId()).isEqualTo("rank/svc.0");
            assertThat(m.toNode()).isEqualTo("s0/host");
        });
        assertThat(r.nodes().get(1).forwardedPackets()).isPositive();
    }

    @Test
    void withoutTheOrchestratorNothingMigrates() {
        AppSpec app = Fixtures.single("rec", MicroserviceType.RECOMMEND);
        Scenario scenario = Scenario.of(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 1), List.of(app));
        SimulationResult r = Simulator.place(scenario, SimulationConfig.builder().client(ClientModel.poisson(2_000))
                .loadStep(new LoadStep(2, 20_000)).durationSeconds(4).orchestrate(false).build()).run();
        assertThat(r.migrations()).isEmpty();
        assertThat(r.engine().decisions()).isZero();
    }
}
