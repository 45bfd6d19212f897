package io.e3.agent.emu;

import static org.assertj.core.api.Assertions.assertThat;

import io.e3.model.app.MicroserviceType;
import io.e3.model.topology.ServerTypes;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrafficManagerTest {

    /** D = 20, β = 20. */
    private static final Emulation EMULATION = new Emulation(20, 20, 20, 4096, 0, 2000);
    private static final double TYPE1_PORT_GBPS = ServerTypes.TYPE1_SMARTNIC.smartNic().bandwidthGbps();

    @Test
    void forwardsAtLineRateTimesDilationWithoutInterference() {
        TrafficManager tm = new TrafficManager(TYPE1_PORT_GBPS, EMULATION);
        long t0 = System.nanoTime();

        // 8 · (1000 + 24) bits / 20 Gb/s = 409.6 ns, times D = 20: 8192 ns.
        assertThat(tm.enqueue(t0, 1000) - t0).isEqualTo(8_192);
        assertThat(tm.slowdown()).isEqualTo(1.0);
    }

    @Test
    void forwardsTwentyOneTimesSlowerUnderFullPressure() {
        TrafficManager tm = new TrafficManager(TYPE1_PORT_GBPS, EMULATION);
        tm.setPressure(1);
        long t0 = System.nanoTime();

        // 8192 ns · (1 + 20 · 1)
        assertThat(tm.enqueue(t0, 1000) - t0).isEqualTo(172_032);
        assertThat(tm.slowdown()).isEqualTo(21.0);
    }

    @Test
    void scalesWithPartialPressure() {
        TrafficManager tm = new TrafficManager(TYPE1_PORT_GBPS, EMULATION);
        tm.setPressure(0.25);
        long t0 = System.nanoTime();

        // 8 · (76 + 24) · 20 / 20 = 800 ns, times 1 + 20 · 0.25 = 6
        assertThat(tm.enqueue(t0, 76) - t0).isEqualTo(4_800);
    }

    @Test
    void forwardsQueuedPacketsBackToBackInArrivalOrder() {
        TrafficManager tm = new TrafficManager(TYPE1_PORT_GBPS, EMULATION);
        long t0 = System.nanoTime();

        assertThat(tm.enqueue(t0, 1000) - t0).isEqualTo(8_192);
        assertThat(tm.enqueue(t0 + 100, 1000) - t0).isEqualTo(16_384);
        assertThat(tm.enqueue(t0 + 200, 40) - t0).isEqualTo(16_384 + 512);
        assertThat(tm.depth()).isEqualTo(3);
    }

    @Test
    void startsAPacketArrivingAtAnIdleTrafficManagerAtOnce() {
        TrafficManager tm = new TrafficManager(TYPE1_PORT_GBPS, EMULATION);
        long t0 = System.nanoTime();
        tm.enqueue(t0, 1000);

        assertThat(tm.enqueue(t0 + 1_000_000, 1000) - t0).isEqualTo(1_000_000 + 8_192);
    }

    @Test
    void dropsAtTheTailWhenTheQueueIsFullWithoutSpendingTimeOnTheDroppedPacket() {
        TrafficManager tm = new TrafficManager(TYPE1_PORT_GBPS, new Emulation(20, 20, 20, 3, 0, 2000));
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            assertThat(tm.enqueue(t0, 1000)).isPositive();
        }

        assertThat(tm.enqueue(t0, 1000)).isEqualTo(-1);
        assertThat(tm.enqueue(t0, 1000)).isEqualTo(-1);
        assertThat(tm.dropped()).isEqualTo(2);
        assertThat(tm.depth()).isEqualTo(3);

        tm.dequeued();
        assertThat(tm.depth()).isEqualTo(2);
        assertThat(tm.forwarded()).isEqualTo(1);
        assertThat(tm.enqueue(t0, 1000) - t0).isEqualTo(4 * 8_192);
        assertThat(tm.dropped()).isEqualTo(2);
    }

    @Test
    void countsForwardedPacketsAsTheyLeave() {
        TrafficManager tm = new TrafficManager(TYPE1_PORT_GBPS, EMULATION);
        long t0 = System.nanoTime();
        tm.enqueue(t0, 64);
        tm.enqueue(t0, 64);
        tm.dequeued();
        tm.dequeued();

        assertThat(tm.depth()).isZero();
        assertThat(tm.forwarded()).isEqualTo(2);
        assertThat(tm.dropped()).isZero();
    }

    @Test
    void clampsPressureToTheUnitInterval() {
        TrafficManager tm = new TrafficManager(TYPE1_PORT_GBPS, EMULATION);

        tm.setPressure(-0.5);
        assertThat(tm.pressure()).isZero();
        tm.setPressure(3.7);
        assertThat(tm.pressure()).isEqualTo(1.0);
        assertThat(tm.slowdown()).isEqualTo(21.0);
        tm.setPressure(0.4);
        assertThat(tm.pressure()).isEqualTo(0.4);
    }

    @ParameterizedTest
    @EnumSource(value = MicroserviceType.class, names = {"TOP_RANKER", "SPIKE", "API_GATEWAY"})
    void typesThatStarvedHostsPressFully(MicroserviceType type) {
        assertThat(TrafficManager.interference(type)).isEqualTo(1.0);
    }

    @Test
    void everyOtherTypePressesATenth() {
        EnumSet<MicroserviceType> others = EnumSet.complementOf(
                EnumSet.of(MicroserviceType.TOP_RANKER, MicroserviceType.SPIKE, MicroserviceType.API_GATEWAY));
        assertThat(others).hasSize(13);
        for (MicroserviceType type : others) {
            assertThat(TrafficManager.interference(type)).as(type.name()).isEqualTo(0.1);
        }
    }
}
