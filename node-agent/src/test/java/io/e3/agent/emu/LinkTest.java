package io.e3.agent.emu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkTest {

    @Test
    void sendsADatagramInEightBitsTimesDilationOverBandwidthPerByte() {
        Link link = new Link(10, 20);
        long t0 = System.nanoTime();

        // 8 · 1000 bits / 10 Gb/s = 800 ns, times D = 20
        assertThat(link.transmit(t0, 1000) - t0).isEqualTo(16_000);
    }

    @Test
    void queuesDatagramsHandedOverWhileItIsBusy() {
        Link link = new Link(40, 1);
        long t0 = System.nanoTime();

        assertThat(link.transmit(t0, 500) - t0).isEqualTo(100);
        assertThat(link.transmit(t0 + 50, 500) - t0).isEqualTo(200);
        assertThat(link.transmit(t0 + 60, 5) - t0).isEqualTo(201);
    }

    @Test
    void startsADatagramAtOnceWhenIdle() {
        Link link = new Link(40, 1);
        long t0 = System.nanoTime();
        link.transmit(t0, 500);

        assertThat(link.transmit(t0 + 10_000, 500) - t0).isEqualTo(10_100);
    }

    @Test
    void countsBytesSent() {
        Link link = new Link(10, 20);
        long t0 = System.nanoTime();
        link.transmit(t0, 100);
        link.transmit(t0, 1400);

        assertThat(link.bytes()).isEqualTo(1500);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN})
    void rejectsABandwidthThatIsNotPositive(double gbps) {
        assertThatThrownBy(() -> new Link(gbps, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bandwidth must be > 0");
    }
}
