package io.e3.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatMac;
import io.e3.model.telemetry.HeartbeatView;
import io.e3.model.telemetry.InstanceStats;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Host starvation and overload detection, and the guards against flapping (§5.4.4). */
class DataPlaneOrchestratorTest {

    private static final Cluster CLUSTER = Clusters.of(ServerTypes.TYPE1_SMARTNIC, 3);
    private static final OrchestratorSettings SETTINGS = OrchestratorSettings.DEFAULT;

    private final DataPlaneOrchestrator orchestrator = new DataPlaneOrchestrator(CLUSTER, SETTINGS);
    private long sequence;
    private long now;

    private Optional<MigrationDecision> beat(String node, int queue, long bytesPerSecond, InstanceStats... stats) {
        now += 50;
        return orchestrator.onHeartbeat(new Heartbeat(node, sequence++, now, 50, queue, bytesPerSecond,
                bytesPerSecond, List.of(stats)), now);
    }

    private static InstanceStats stats(String id, long meanNanos, float cpu) {
        return new InstanceStats(id, 100, 0, meanNanos, cpu);
    }

    @Test
    void aStandingQueueWithAnIdleLinkIsHostStarvationAndTheHottestInstanceMoves() {
        InstanceStats rank = stats("iot/rank.0", 800_000, 11.5f);
        InstanceStats ema = stats("iot/ema.0", 5_000, 0.4f);
        assertThat(beat("s0/nic0", 40, 1_000_000, rank, ema)).isEmpty();
        assertThat(beat("s0/nic0", 40, 1_000_000, rank, ema)).isEmpty();
        Optional<MigrationDecision> d = beat("s0/nic0", 40, 1_000_000, rank, ema);
        assertThat(d).hasValueSatisfying(m -> {
            assertThat(m.instanceId()).isEqualTo("iot/rank.0");
            assertThat(m.fromNode()).isEqualTo("s0/nic0");
            assertThat(m.reason()).isEqualTo(MigrationReason.HOST_STARVATION);
            assertThat(m.detail()).contains("queue of 40 packets for 3 heartbeats");
        });
        assertThat(orchestrator.inFlight()).isEqualTo(1);
    }

    @Test
    void aQueueOnABusyLinkIsNotStarvationNorIsAPassingQueue() {
        InstanceStats s = stats("a/x.0", 5_000, 2f);
        long nearlyFull = (long) (20e9 / 8 * 0.9);
        for (int i = 0; i < 10; i++) {
            assertThat(beat("s0/nic0", 100, nearlyFull, s)).isEmpty();
        }
        for (int i = 0; i < 10; i++) {
            assertThat(beat("s0/nic0", i % 3 == 0 ? 0 : 100, 1000, s)).as("never 3 in a row").isEmpty();
        }
    }

    @Test
    void executionTimeTwentyPercentOverItsAverageForTwoBeatsIsOverload() {
        for (int i = 0; i < SETTINGS.warmupSamples(); i++) {
            assertThat(beat("s1/nic0", 0, 1000, stats("a/kv.0", 10_000, 1f), stats("a/top.0", 50_000, 6f)))
                    .isEmpty();
        }
        assertThat(beat("s1/nic0", 0, 1000, stats("a/kv.0", 11_900, 1f), stats("a/top.0", 50_000, 6f)))
                .as("19 % over: not yet").isEmpty();
        assertThat(beat("s1/nic0", 0, 1000, stats("a/kv.0", 12_500, 1f), stats("a/top.0", 50_000, 6f)))
                .as("one beat over 20 %").isEmpty();
        assertThat(beat("s1/nic0", 0, 1000, stats("a/kv.0", 13_000, 1f), stats("a/top.0", 50_000, 6f)))
                .hasValueSatisfying(m -> {
                    assertThat(m.reason()).isEqualTo(MigrationReason.OVERLOAD);
                    assertThat(m.instanceId()).as("the hottest moves, not the one that slowed").isEqualTo("a/top.0");
                    assertThat(m.detail()).startsWith("a/kv.0: execution 13.0 µs");
                });
    }

    @Test
    void hostsAreWatchedButNeverMovedFrom() {
        for (int i = 0; i < 20; i++) {
            assertThat(beat("s0/host", 500, 10, stats("a/x.0", 10_000L * (i + 1), 8f))).isEmpty();
        }
    }

    @Test
    void cooldownConcurrencyCapAndNoMoveBack() {
        InstanceStats a = stats("a/a.0", 1, 5f);
        InstanceStats b = stats("a/b.0", 1, 3f);
        for (int i = 0; i < 3; i++) {
            beat("s0/nic0", 50, 10, a, b);
        }
        assertThat(orchestrator.inFlight()).isEqualTo(1);
        Optional<MigrationDecision> second = Optional.empty();
        for (int i = 0; i < 3; i++) {
            second = beat("s0/nic0", 50, 10, a, b);
        }
        assertThat(second).as("a is in flight, so b").hasValueSatisfying(m -> assertThat(m.instanceId())
                .isEqualTo("a/b.0"));
        for (int i = 0; i < 6; i++) {
            assertThat(beat("s1/nic0", 50, 10, stats("a/c.0", 1, 5f))).as("2 in flight at most").isEmpty();
        }
        orchestrator.migrationFinished("a/a.0", "s0/nic0", "s0/host", true);
        orchestrator.migrationFinished("a/b.0", "s0/nic0", "s1/host", true);
        for (int i = 0; i < 6; i++) {
            assertThat(beat("s1/nic0", 50, 10, stats("a/a.0", 1, 5f))).as("a is cooling down").isEmpty();
        }
        now += SETTINGS.cooldownMillis();
        Optional<MigrationDecision> back = Optional.empty();
        for (int i = 0; i < 3 && back.isEmpty(); i++) {
            back = beat("s1/nic0", 50, 10, stats("a/a.0", 1, 5f));
        }
        assertThat(back).hasValueSatisfying(m -> assertThat(m.avoid()).as("where it came from").isEqualTo("s0/nic0"));
    }

    @Test
    void staleDuplicateAndUnknownHeartbeatsAreCountedAndIgnored() {
        Heartbeat hb = new Heartbeat("s0/nic0", 7, 0, 50, 99, 0, 0, List.of());
        orchestrator.onHeartbeat(hb, 0);
        orchestrator.onHeartbeat(hb, 1);
        orchestrator.onHeartbeat(new Heartbeat("s0/nic0", 6, 0, 50, 99, 0, 0, List.of()), 2);
        orchestrator.onHeartbeat(new Heartbeat("s9/nic0", 1, 0, 50, 99, 0, 0, List.of()), 3);
        orchestrator.onHeartbeat(new Heartbeat("s0/nic0", 0, 0, 50, 99, 0, 0, List.of()), 4);
        assertThat(orchestrator.received()).as("the first, and the restart at 0").isEqualTo(2);
        assertThat(orchestrator.stale()).isEqualTo(2);
        assertThat(orchestrator.unknown()).isEqualTo(1);
    }

    @Test
    void aRestartedAgentIsHeardAtOnceEvenIfItsFirstHeartbeatsWereLost() throws Exception {
        int node = NodeIndex.of(CLUSTER).indexOf("s0/nic0");
        HeartbeatMac mac = HeartbeatMac.forToken("test-token");
        assertThat(epochBeat(node, 1_000, 500, mac)).as("first incarnation, sequence 500").isTrue();
        assertThat(epochBeat(node, 2_000, 3, mac)).as("restarted: sequences 0 to 2 lost, 3 arrives").isTrue();
        assertThat(epochBeat(node, 2_000, 4, mac)).as("and the next").isTrue();
        assertThat(epochBeat(node, 1_000, 501, mac)).as("a late heartbeat of the first incarnation").isFalse();
        assertThat(epochBeat(node, 2_000, 4, mac)).as("a duplicate").isFalse();
        assertThat(orchestrator.received()).isEqualTo(3);
        assertThat(orchestrator.stale()).isEqualTo(2);
    }

    /** Feeds a heartbeat from {@code node} at (epoch, sequence) through the wire format; whether it was taken. */
    private boolean epochBeat(int node, long epochMicros, long sequence, HeartbeatMac mac) throws Exception {
        long before = orchestrator.received();
        byte[] datagram = HeartbeatCodec.encode(new Heartbeat("s0/nic0", sequence, now, 50, 0, 0, 0, List.of()),
                epochMicros, mac);
        HeartbeatView view = new HeartbeatView();
        HeartbeatCodec.decode(datagram, 0, datagram.length, view);
        orchestrator.onHeartbeat(node, view, now);
        return orchestrator.received() == before + 1;
    }
}
