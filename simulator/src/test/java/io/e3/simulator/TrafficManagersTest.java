package io.e3.simulator;

import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficManagersTest {

    /** One Type1 server: node 0 is the host, node 1 its 20 Gb/s SmartNIC. */
    private static Fabric fabric(FabricSettings settings) {
        return new Fabric(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 1), settings, CoreQueueing.ROUND_ROBIN);
    }

    @Test
    void forwardsAtLineRateWithoutInterferenceAndQueuesInOrder() {
        TrafficManagers tm = fabric(FabricSettings.DEFAULT).trafficManagers;
        // (976 + 24) bytes at 20 Gb/s: 400 ns each.
        assertThat(tm.enqueue(1, 0, 976)).isEqualTo(400);
        assertThat(tm.enqueue(1, 0, 976)).isEqualTo(800);
        assertThat(tm.depth(1, 0)).isEqualTo(2);
        assertThat(tm.depth(1, 400)).isEqualTo(1);
        assertThat(tm.depth(1, 800)).isZero();
    }

    @Test
    void slowsDownByOnePlusBetaTimesPressure() {
        TrafficManagers tm = fabric(FabricSettings.DEFAULT).trafficManagers;
        // A κ = 1 service keeping all cores busy: pressure 1, so 1 + 20 = 21 times slower.
        tm.setPressure(1, 1.0);
        assertThat(tm.enqueue(1, 0, 976)).isEqualTo(21 * 400);
        tm.setPressure(1, 7.0); // clamped to 1
        assertThat(tm.enqueue(1, 0, 976)).isEqualTo(2 * 21 * 400);
    }

    @Test
    void dropsWhatArrivesToAFullQueue() {
        TrafficManagers tm = fabric(new FabricSettings(20, 20, 3, 64, 256, 4)).trafficManagers;
        for (int i = 0; i < 3; i++) {
            assertThat(tm.enqueue(1, 0, 976)).isPositive();
        }
        assertThat(tm.enqueue(1, 0, 976)).isEqualTo(-1);
        assertThat(tm.dropped()).isEqualTo(1);
        assertThat(tm.forwarded(1)).isEqualTo(3);
        assertThat(tm.enqueue(1, 400, 976)).isEqualTo(1600); // one has left: room again, behind the other two
    }
}
