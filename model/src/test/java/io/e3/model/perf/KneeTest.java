package io.e3.model.perf;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KneeTest {

    /** A target that serves up to {@code capacity} requests per second at 100 µs, then queues without bound. */
    private static Knee.Measurement saturating(double rate, double capacity) {
        return rate <= capacity ? new Knee.Measurement(rate, 1000, 100, 120)
                : new Knee.Measurement(capacity, 1000, 100 + 1000 * (rate / capacity - 1), 5000);
    }

    @Test
    void theKneeOfASaturatingTargetIsItsCapacityWithinTheBisectionsResolution() {
        List<Double> offered = new ArrayList<>();
        Knee.Result k = Knee.find(r -> {
            offered.add(r);
            return saturating(r, 1234);
        }, Knee.Rule.from(100));

        // Doubling brackets it in [800, 1600]; six bisections leave 800 / 64 = 12.5 requests/s of doubt, and a rate up
        // to 2 % past the capacity still counts as kept up with.
        assertThat(k.offeredRate()).isBetween(1234 - 12.5, 1234 / 0.98);
        assertThat(k.throughput()).isBetween(1234 - 12.5, 1234.0);
        assertThat(k.baselineMeanMicros()).isEqualTo(100);
        assertThat(offered).startsWith(100.0, 200.0, 400.0, 800.0, 1600.0, 1200.0).hasSize(5 + 6);
        assertThat(k.steps()).hasSize(offered.size());
        assertThat(k.steps().stream().filter(Knee.Step::belowKnee).mapToDouble(Knee.Step::offeredRate).max())
                .hasValue(k.offeredRate());
    }

    @Test
    void queueingBeyondTheAllowanceIsPastTheKneeEvenWhenTheTargetKeepsUp() {
        Knee.Rule rule = Knee.Rule.from(10);
        assertThat(Knee.belowKnee(new Knee.Measurement(100, 10, 125, 0), 100, 100, rule)).isTrue();
        assertThat(Knee.belowKnee(new Knee.Measurement(100, 10, 126, 0), 100, 100, rule)).isFalse();
        assertThat(Knee.belowKnee(new Knee.Measurement(97.9, 10, 100, 0), 100, 100, rule)).isFalse();
        assertThat(Knee.belowKnee(new Knee.Measurement(100, 0, 100, 0), 100, 100, rule)).isFalse();
    }

    /**
     * A target whose latency rises gradually with the rate (1 µs per 10 requests/s over 100 µs), seen plain and with a
     * constant 40 µs added to every step, as the emulated cluster adds its own real overhead over the dilation.
     */
    private static Knee.Measurement gradual(double rate, double offsetMicros) {
        return new Knee.Measurement(rate, 1000, 100 + rate / 10 + offsetMicros, 0);
    }

    @Test
    void aFixedAllowanceIsNotWidenedByAConstantOffsetInEveryStep() {
        Knee.Rule rule = Knee.Rule.from(100);
        Knee.Result plain = Knee.find(r -> gradual(r, 0), rule);
        // L₀ = 110 µs, allowance 27.5 µs: the queueing delay (r - 100) / 10 reaches it at 375/s.
        assertThat(plain.offeredRate()).isBetween(360.0, 375.0);
        // With 40 µs more in every step the share of L₀ allows 37.5 µs, and the knee moves to about 475/s...
        Knee.Result offsetByShare = Knee.find(r -> gradual(r, 40), rule);
        assertThat(offsetByShare.offeredRate()).isGreaterThan(450.0);
        // ...while the plain side's allowance, fixed in µs, finds the same steps as the plain search.
        Knee.Result offsetFixed = Knee.find(r -> gradual(r, 40), rule, 0.25 * plain.baselineMeanMicros());
        assertThat(offsetFixed.offeredRate()).isEqualTo(plain.offeredRate());
        assertThat(offsetFixed.baselineMeanMicros()).isEqualTo(150.0);
        assertThat(offsetFixed.steps().stream().map(Knee.Step::belowKnee).toList())
                .isEqualTo(plain.steps().stream().map(Knee.Step::belowKnee).toList());
        assertThatThrownBy(() -> Knee.find(r -> gradual(r, 0), rule, 0)).hasMessageContaining("allowance must be > 0");
    }

    @Test
    void aStartRatePastTheKneeAndBadRulesAreRefused() {
        assertThatThrownBy(() -> Knee.find(r -> saturating(r, 50), Knee.Rule.from(100)))
                .hasMessageContaining("start rate 100.0/s is already past the knee");
        assertThatThrownBy(() -> Knee.Rule.from(0)).hasMessageContaining("start rate must be > 0");
        assertThatThrownBy(() -> new Knee.Rule(10, 0.25, 1, 6, 100)).hasMessageContaining("shortfall in (0, 1)");
        assertThatThrownBy(() -> new Knee.Rule(10, 0.25, 0.02, 6, 10)).hasMessageContaining("must exceed");
    }
}
