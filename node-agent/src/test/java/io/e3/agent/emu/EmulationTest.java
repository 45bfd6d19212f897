package io.e3.agent.emu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.e3.model.topology.HopClass;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class EmulationTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("dilation must be >= 1, got 0.5", call(() -> new Emulation(0.5, 20, 20, 1, 0, 1))),
                Arguments.of("dilation must be >= 1, got NaN", call(() -> new Emulation(Double.NaN, 20, 20, 1, 0, 1))),
                Arguments.of("dilation must be >= 1, got Infinity",
                        call(() -> new Emulation(Double.POSITIVE_INFINITY, 20, 20, 1, 0, 1))),
                Arguments.of("hostRttMicros must be >= 0, got -1.0", call(() -> new Emulation(1, -1, 20, 1, 0, 1))),
                Arguments.of("interferenceGain must be >= 0, got -0.1", call(() -> new Emulation(1, 20, -0.1, 1, 0, 1))),
                Arguments.of("tmQueuePackets must be >= 1, got 0", call(() -> new Emulation(1, 20, 20, 0, 0, 1))),
                Arguments.of("lossRate must be in [0, 1), got 1.0", call(() -> new Emulation(1, 20, 20, 1, 1, 1))),
                Arguments.of("lossRate must be in [0, 1), got -0.01", call(() -> Emulation.DEFAULT.withLossRate(-0.01))),
                Arguments.of("runawayMillis must be >= 1, got 0", call(() -> Emulation.DEFAULT.withRunawayMillis(0))),
                Arguments.of("dilation must be >= 1, got 0.0", call(() -> Emulation.DEFAULT.withDilation(0))));
    }

    private static ThrowingCallable call(ThrowingCallable c) {
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsABadKnobNamingIt(String message, ThrowingCallable construction) {
        assertThatThrownBy(construction).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void acceptsTheBoundaries() {
        Emulation e = new Emulation(1, 0, 0, 1, 0, 1).withLossRate(0.999);
        assertThat(e.lossRate()).isEqualTo(0.999);
        assertThat(e.dilation()).isEqualTo(1.0);
    }

    @Test
    void withersChangeOnlyTheirKnob() {
        Emulation e = Emulation.DEFAULT.withDilation(50).withLossRate(0.05).withRunawayMillis(10);
        assertThat(e).isEqualTo(new Emulation(50, Emulation.DEFAULT_HOST_RTT_MICROS, TrafficManager.DEFAULT_GAIN,
                Emulation.DEFAULT.tmQueuePackets(), 0.05, 10));
    }

    @Test
    void stretchesEmulatedTimeByTheDilationFactor() {
        Emulation e = Emulation.DEFAULT.withDilation(20);
        assertThat(e.dilatedNanos(1e-6)).isEqualTo(20_000);
        assertThat(e.dilatedNanos(1.5)).isEqualTo(30_000_000_000L);
        assertThat(e.emulatedSeconds(20_000)).isCloseTo(1e-6, within(1e-18));
        assertThat(e.emulatedSeconds(e.dilatedNanos(0.125))).isEqualTo(0.125);
    }

    @Test
    void takesHalfTheModelledRoundTripDilatedForOneWay() {
        Emulation e = Emulation.DEFAULT; // 20 µs host RTT, D = 20
        // Host to host: half of 20 µs, times 20 = 200 µs of real time.
        assertThat(e.oneWayNanos(HopClass.HOST_TOR)).isEqualTo(200_000);
        assertThat(e.oneWayNanos(HopClass.CROSS_RACK)).isEqualTo(400_000);
        assertThat(e.oneWayNanos(HopClass.CROSS_POD)).isEqualTo(600_000);
        assertThat(e.oneWayNanos(HopClass.SAME_NODE)).isZero();
        // PCIe is 83.3 % faster than host to host, SmartNIC to SmartNIC 86.2 %.
        assertThat(e.oneWayNanos(HopClass.PCIE)).isCloseTo(33_400, within(1L));
        assertThat(e.oneWayNanos(HopClass.SMARTNIC_TOR)).isCloseTo(27_600, within(1L));
        assertThat(e.oneWayNanos(HopClass.HOST_SMARTNIC_TOR)).isCloseTo(113_800, within(1L));
        assertThat(e.withDilation(40).oneWayNanos(HopClass.HOST_TOR)).isEqualTo(400_000);
    }

    @ParameterizedTest
    @EnumSource(HopClass.class)
    void keepsEveryHopClassInProportionToHostToHost(HopClass hop) {
        Emulation e = new Emulation(100, 50, 20, 1, 0, 1);
        double ratio = (double) e.oneWayNanos(hop) / e.oneWayNanos(HopClass.HOST_TOR);
        assertThat(ratio).isCloseTo(hop.relativeLatency(), within(1e-5));
    }
}
