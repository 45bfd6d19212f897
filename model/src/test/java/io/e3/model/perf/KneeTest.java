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

    @Test
    void aStartRatePastTheKneeAndBadRulesAreRefused() {
        assertThatThrownBy(() -> Knee.find(r -> saturating(r, 50), Knee.Rule.from(100)))
                .hasMessageContaining("start rate 100.0/s is already past the knee");
        assertThatThrownBy(() -> Knee.Rule.from(0)).hasMessageContaining("start rate must be > 0");
        assertThatThrownBy(() -> new Knee.Rule(10, 0.25, 1, 6, 100)).hasMessageContaining("shortfall in (0, 1)");
        assertThatThrownBy(() -> new Knee.Rule(10, 0.25, 0.02, 6, 10)).hasMessageContaining("must exceed");
    }
}
