package io.e3.cli;

import io.e3.cli.CrossValidation.Dilation;
import io.e3.cli.CrossValidation.DilationTerm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The dilation of the emulated run: D = max(20, K / realRate, 0.2 s / L₀), and the term that decided it. */
class CrossValidationDilationTest {

    @Test
    void aHighKneeIsScaledDownToTheRealRate() {
        // K = 844,000/s makes 5,627; L₀ = 50 µs asks for only 4,000.
        Dilation d = CrossValidation.dilation(844_000, 150, 50e-6);
        assertThat(d.term()).isEqualTo(DilationTerm.KNEE);
        assertThat(d.value()).isCloseTo(844_000 / 150.0, within(1e-6));
    }

    @Test
    void aLongLatencyRaisesTheDilationAboveTheKneesTerm() {
        // iot-ts: K ≈ 6,600/s gives 44, L₀ ≈ 1,041 µs gives 192.
        Dilation d = CrossValidation.dilation(6_600, 150, 1_041e-6);
        assertThat(d.term()).isEqualTo(DilationTerm.LATENCY);
        assertThat(d.value()).isCloseTo(CrossValidation.REAL_LATENCY_SECONDS / 1_041e-6, within(1e-6))
                .isCloseTo(192, within(1.0));
    }

    @Test
    void aLowKneeAndAShortLatencyKeepTheMinimum() {
        // K / 150 = 10, 0.2 s / 50 ms = 4: both below 20.
        Dilation d = CrossValidation.dilation(1_500, 150, 0.050);
        assertThat(d.term()).isEqualTo(DilationTerm.MINIMUM);
        assertThat(d.value()).isEqualTo(CrossValidation.MIN_DILATION);
    }

    @Test
    void theRealRateIsAnUpperBoundOnly() {
        // A higher real rate lowers the knee's term below the latency's, which then decides.
        assertThat(CrossValidation.dilation(300_000, 150, 100e-6).term()).isEqualTo(DilationTerm.KNEE);
        Dilation d = CrossValidation.dilation(300_000, 1_500, 100e-6);
        assertThat(d.term()).isEqualTo(DilationTerm.LATENCY);
        assertThat(d.value()).isCloseTo(2_000, within(1e-6));
        assertThat(300_000 / d.value()).isLessThan(1_500);
    }

    @Test
    void aTieGoesToTheEarlierTerm() {
        // K / 150 = 40 = 0.2 s / 5 ms.
        assertThat(CrossValidation.dilation(6_000, 150, 0.005).term()).isEqualTo(DilationTerm.KNEE);
        // 20 = 0.2 s / 10 ms.
        assertThat(CrossValidation.dilation(1_500, 150, 0.010).term()).isEqualTo(DilationTerm.MINIMUM);
    }

    @Test
    void aLatencyThatIsNotAPositiveNumberIsRefusedWithAClearMessage() {
        for (double bad : new double[] {0, -1e-3, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> CrossValidation.dilation(6_600, 150, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("low-load latency L₀").hasMessageContaining(String.valueOf(bad));
        }
    }

    @Test
    void aKneeOrRealRateThatIsNotAPositiveNumberIsRefused() {
        assertThatThrownBy(() -> CrossValidation.dilation(Double.NaN, 150, 1e-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("knee K");
        assertThatThrownBy(() -> CrossValidation.dilation(0, 150, 1e-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("knee K");
        assertThatThrownBy(() -> CrossValidation.dilation(6_600, 0, 1e-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("real rate");
    }
}
