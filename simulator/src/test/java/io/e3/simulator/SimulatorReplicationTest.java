package io.e3.simulator;

import io.e3.model.app.AppSpec;
import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.Scaling;
import io.e3.model.energy.EnergyModel;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.CoreClass;
import io.e3.model.topology.HopClass;
import io.e3.model.topology.ServerTypes;
import io.e3.simulator.SimulationResult.InstanceReport;
import io.e3.simulator.SimulationResult.NodeReport;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Primary-backup replication on the data path, as the agents do it: a serving instance sends each request to its
 * backups when it admits it and answers only once its core has finished and every backup has acknowledged; and every
 * stage's request has the client's size.
 */
class SimulatorReplicationTest {

    private static final double HOST_RTT = 20e-6;
    /** Recommend on a beefy core: 2.93 ms a 512-byte request. */
    private static final double SERVICE =
            MicroserviceProfile.of(MicroserviceType.RECOMMEND).serviceTimeSeconds(CoreClass.BEEFY, 512);
    private static final double GBPS = Fixtures.ONE_CORE.bandwidthGbps();
    private static final int OVERHEAD = FabricSettings.DEFAULT.frameOverheadBytes();
    private static final int REPLY = FabricSettings.DEFAULT.replyBytes() + OVERHEAD;

    private static double oneWay(HopClass hop) {
        return hop.relativeLatency() * HOST_RTT / 2;
    }

    private static double link(int bytes) {
        return bytes * 8 / (GBPS * 1e9);
    }

    /** One sharded Recommend service of one shard with {@code backups} backups, on one-core servers. */
    private static Simulator simulator(int servers, int backups, SimulationConfig config) {
        AppSpec app = AppSpec.of("r", List.of(Fixtures.service("svc", MicroserviceType.RECOMMEND, 1, Scaling.SHARDED,
                null, backups)), List.of());
        return Simulator.place(Scenario.of(Clusters.of(Fixtures.ONE_CORE, servers), List.of(app)), config);
    }

    private static SimulationConfig.Builder config() {
        return SimulationConfig.builder().orchestrate(false).seed(3);
    }

    private static String nodeOf(Simulator sim, String instance) {
        return sim.deployment().placements().get(0).nodeOf(instance).orElseThrow();
    }

    /** The nodes of the primary and its first {@code backups} backups, in that order; placement keeps them apart. */
    private static List<String> copies(Simulator sim, int backups) {
        List<String> nodes = new java.util.ArrayList<>(List.of(nodeOf(sim, "r/svc.0")));
        for (int k = 1; k <= backups; k++) {
            nodes.add(nodeOf(sim, "r/svc.0.backup" + k));
        }
        assertThat(nodes).doesNotHaveDuplicates();
        return nodes;
    }

    private static NodeReport node(SimulationResult r, String id) {
        return r.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    private static InstanceReport instance(SimulationResult r, String id) {
        return r.instances().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theReplyWaitsForTheBackupsRoundTripAndItsService() {
        SimulationConfig.Builder light = config().client(ClientModel.constant(0.1 / SERVICE)).durationSeconds(20);
        Simulator sim = simulator(2, 1, light.build());
        String backupNode = copies(sim, 1).get(1);

        // Client to the primary's host through the ToR, and the reply back over the host's link.
        double client = oneWay(HopClass.HOST_TOR) + link(REPLY) + oneWay(HopClass.HOST_TOR);
        // The batch of one request to the backup's host, its service there, the ack back; in parallel with the
        // primary's own service.
        double backup = link(512 + OVERHEAD) + oneWay(HopClass.HOST_TOR) + SERVICE + link(REPLY)
                + oneWay(HopClass.HOST_TOR);
        double expected = client + Math.max(SERVICE, backup);
        SimulationResult on = sim.run();
        assertThat(on.latency().meanMicros() / 1e6).isCloseTo(expected, within(0.002 * expected));

        SimulationResult off = sim.with(light.replication(false).build()).run();
        assertThat(off.latency().meanMicros() / 1e6).isCloseTo(client + SERVICE, within(0.002 * expected));
        assertThat(node(off, backupNode).utilisation()).isZero();
    }

    @Test
    void atSaturationTheBackupsNodeDoesTheReplicatedWorkButServesNothing() {
        SimulationConfig.Builder heavy = config().client(ClientModel.constant(2 / SERVICE)).durationSeconds(12)
                .warmupSeconds(2);
        Simulator sim = simulator(2, 1, heavy.build());
        List<String> nodes = copies(sim, 1);
        String primaryNode = nodes.get(0);
        String backupNode = nodes.get(1);
        SimulationResult on = sim.run();
        SimulationResult off = sim.with(heavy.replication(false).build()).run();

        // Batching keeps the backup up with its primary: both cores are busy all the time, the primary's throughput
        // is its core's capacity either way.
        assertThat(node(on, primaryNode).utilisation()).isGreaterThan(0.99);
        assertThat(node(on, backupNode).utilisation()).isGreaterThan(0.98);
        assertThat(node(off, backupNode).utilisation()).isZero();
        // The backup's node spends the replicated requests' modelled energy: one core's worth of Recommend.
        double coreWatts = EnergyModel.joulesPerRequest(MicroserviceType.RECOMMEND, CoreClass.BEEFY, 512) / SERVICE;
        assertThat(node(on, backupNode).activeWatts()).isCloseTo(coreWatts, within(0.02 * coreWatts));
        assertThat(on.throughput()).isCloseTo(off.throughput(), within(0.02 * off.throughput()));
        assertThat(instance(on, "r/svc.0.backup1").requests()).isZero();
        assertThat(instance(on, "r/svc.0").requests()).isEqualTo(instance(off, "r/svc.0").requests());
    }

    @Test
    void aPromotedBackupServesAndReplicatesToTheBackupItInherited() {
        SimulationConfig.Builder b = config().client(ClientModel.constant(0.2 / SERVICE)).durationSeconds(6)
                .warmupSeconds(1);
        List<String> nodes = copies(simulator(3, 2, b.build()), 2);
        String firstBackupNode = nodes.get(1);
        String secondBackupNode = nodes.get(2);

        SimulationResult r = simulator(3, 2, b.failure(new NodeFailure(1.5, nodes.get(0))).build()).run();

        assertThat(r.failovers()).singleElement().satisfies(f -> assertThat(f.promoted()).isEqualTo(1));
        InstanceReport promoted = instance(r, "r/svc.0.backup1");
        assertThat(promoted.serving()).isTrue();
        assertThat(promoted.requests()).isPositive();
        // The second backup keeps getting every request: its core does as much work as the promoted one's.
        assertThat(node(r, secondBackupNode).utilisation()).isCloseTo(node(r, firstBackupNode).utilisation(),
                within(0.01));
        assertThat(node(r, secondBackupNode).utilisation()).isGreaterThan(0.15);
        assertThat(r.sent() - r.completed()).isLessThan(5);
    }

    @Test
    void anOverloadedBackupIsMigratedLikeAServingInstanceAndKeepsReplicating() {
        // Recommend is most efficient on a SmartNIC, so placement puts the shard and its backup on two SmartNICs
        // (12,800 requests/s on 12 cores each); the step overloads both, and the orchestrator moves the backup too.
        AppSpec app = AppSpec.of("r", List.of(Fixtures.service("svc", MicroserviceType.RECOMMEND, 1, Scaling.SHARDED,
                null, 1)), List.of());
        Scenario scenario = Scenario.of(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 2), List.of(app));
        SimulationResult r = Simulator.place(scenario, SimulationConfig.builder().client(ClientModel.poisson(2_000))
                .loadStep(new LoadStep(2, 20_000)).durationSeconds(4).build()).run();

        assertThat(r.migrations()).anySatisfy(m -> {
            assertThat(m.instanceId()).isEqualTo("r/svc.0.backup1");
            assertThat(m.toNode()).endsWith("/host");
        });
        InstanceReport backup = instance(r, "r/svc.0.backup1");
        assertThat(backup.serving()).isFalse();
        assertThat(node(r, backup.node()).utilisation()).isPositive();
    }

    @Test
    void everyStagesRequestHasTheClientsSizeWhateverItsChannelStates() throws Exception {
        Scenario s = Scenario.fromManifests(List.of(Path.of("../examples/clusters/3x-type1-smartnic.yaml"),
                Path.of("../examples/apps/rta-shm.yaml")));
        Simulator sim = Simulator.place(s, config().requestBytes(1000).build());
        Workload w = new Workload(sim.deployment(), new Fabric(sim.deployment().cluster(), FabricSettings.DEFAULT,
                CoreQueueing.ROUND_ROBIN), 1000);
        assertThat(w.requestBytes).containsOnly(1000);
        for (int ch = 0; ch < w.channelTo.length; ch++) {
            MicroserviceType type = w.instanceType[w.serving[w.channelTo[ch]][0]];
            assertThat(w.serviceNanos(ch, true)).isEqualTo(Math.round(
                    MicroserviceProfile.of(type).serviceTimeSeconds(CoreClass.WIMPY, 1000) * 1e9));
        }
    }
}
