package io.e3.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.InstanceStats;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Moving an instance back to its SmartNIC once its load has dropped, with hysteresis: a low-water mark well under the
 * load it overloaded at, a settle time that any busy heartbeat restarts, and a settle time that doubles each time the
 * instance bounces, so that five cycles of load move it off and back once each and never oscillate.
 */
class MoveBackTest {

    private static final String NIC = "s0/nic0";
    private static final String HOST = "s0/host";
    private static final String ID = "shop/rank.0";
    private static final MoveBackPolicy.Settings MOVE_BACK = new MoveBackPolicy.Settings(0.5, 30_000, 600_000);

    private final DataPlaneOrchestrator orchestrator = new DataPlaneOrchestrator(
            NodeIndex.of(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 1)), OrchestratorSettings.DEFAULT, MOVE_BACK);
    private final List<MigrationDecision> decisions = new ArrayList<>();
    private long sequence;
    private long now;

    private Optional<MigrationDecision> beat(String node, int requests, long meanNanos) {
        now += 50;
        List<InstanceStats> stats = requests < 0 ? List.of()
                : List.of(new InstanceStats(ID, requests, 0, meanNanos, 0.8f));
        Optional<MigrationDecision> d = orchestrator.onHeartbeat(new Heartbeat(node, sequence++, now, 50, 0, 1000,
                1000, stats), now);
        d.ifPresent(decisions::add);
        return d;
    }

    /** Beats {@code node} (and the other node, without the instance) until a decision or {@code millis} pass. */
    private Optional<MigrationDecision> run(String node, int requests, long meanNanos, long millis) {
        String other = node.equals(NIC) ? HOST : NIC;
        long until = now + millis;
        while (now < until) {
            Optional<MigrationDecision> d = beat(node, requests, meanNanos);
            beat(other, -1, 0);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    @Test
    void fiveCyclesOfLoadMoveItOffAndBackOnceEachWithGrowingSettleTimes() {
        List<Long> settles = new ArrayList<>();
        for (int cycle = 0; cycle < 5; cycle++) {
            // High load on the SmartNIC: execution times climb 50 % over their average, and it is moved to the host.
            assertThat(run(NIC, 100, 5_000, 20_000)).as("no decision while its load is steady").isEmpty();
            Optional<MigrationDecision> off = run(NIC, 100, 7_500, 5_000);
            assertThat(off).as("cycle %d: moved off", cycle).hasValueSatisfying(d -> {
                assertThat(d.reason()).isEqualTo(MigrationReason.OVERLOAD);
                assertThat(d.to()).isNull();
            });
            orchestrator.migrationFinished(ID, NIC, HOST, true);

            // The load stays high for a minute on the host: no move back.
            assertThat(run(HOST, 100, 3_000, 60_000)).as("cycle %d: busy on the host", cycle).isEmpty();
            // It drops, but one busy heartbeat in every 20 s restarts the settle time: still no move back.
            long settle = orchestrator.moveBackSettleMillis(ID);
            for (int i = 0; i < 3; i++) {
                assertThat(run(HOST, 20, 3_000, settle - 1_000)).isEmpty();
                assertThat(run(HOST, 100, 3_000, 50)).isEmpty();
            }
            // Quiet for the settle time: back to its SmartNIC, not before.
            long quietFrom = now;
            Optional<MigrationDecision> back = run(HOST, 20, 3_000, settle + 5_000);
            assertThat(back).as("cycle %d: moved back", cycle).hasValueSatisfying(d -> {
                assertThat(d.reason()).isEqualTo(MigrationReason.MOVE_BACK);
                assertThat(d.to()).isEqualTo(NIC);
                assertThat(d.fromNode()).isEqualTo(HOST);
            });
            assertThat(now - quietFrom).as("cycle %d: waited the settle time", cycle).isGreaterThanOrEqualTo(settle);
            settles.add(settle);
            orchestrator.migrationFinished(ID, HOST, NIC, true);
            // Quiet on the SmartNIC for a while: nothing moves.
            assertThat(run(NIC, 20, 5_000, 30_000)).as("cycle %d: settled back", cycle).isEmpty();
        }
        assertThat(decisions).hasSize(10);
        assertThat(decisions).extracting(MigrationDecision::reason).containsExactly(
                MigrationReason.OVERLOAD, MigrationReason.MOVE_BACK, MigrationReason.OVERLOAD,
                MigrationReason.MOVE_BACK, MigrationReason.OVERLOAD, MigrationReason.MOVE_BACK,
                MigrationReason.OVERLOAD, MigrationReason.MOVE_BACK, MigrationReason.OVERLOAD,
                MigrationReason.MOVE_BACK);
        assertThat(settles).containsExactly(30_000L, 60_000L, 120_000L, 240_000L, 480_000L);
    }

    @Test
    void aFailedMoveBackIsRetriedOnlyAfterTheCooldownAndAnInstanceMovedElsewhereIsNotWatched() {
        run(NIC, 100, 5_000, 20_000);
        assertThat(run(NIC, 100, 7_500, 5_000)).isPresent();
        orchestrator.migrationFinished(ID, NIC, HOST, true);
        Optional<MigrationDecision> back = run(HOST, 10, 3_000, 40_000);
        assertThat(back).isPresent();
        orchestrator.migrationFinished(ID, HOST, NIC, false);
        long failedAt = now;
        Optional<MigrationDecision> again = run(HOST, 10, 3_000, 40_000);
        assertThat(again).isPresent();
        assertThat(now - failedAt).isGreaterThanOrEqualTo(OrchestratorSettings.DEFAULT.cooldownMillis() - 100);
        orchestrator.forget(ID);
        assertThat(orchestrator.moveBackSettleMillis(ID)).isEqualTo(-1);
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MoveBackPolicy.Settings(1.2, 10, 20))
                .hasMessageContaining("move-back settings out of range");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MoveBackPolicy.Settings(0.5, 30, 20))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
