package io.e3.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleSupplier;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class ArrivalsTest {

    @Test
    void poissonScheduleIsTheSameForTheSameSeed() {
        assertThat(draws(Arrivals.poisson(1000, 42), 1_000)).containsExactly(draws(Arrivals.poisson(1000, 42), 1_000));
        assertThat(draws(Arrivals.poisson(1000, 43), 1_000)).isNotEqualTo(draws(Arrivals.poisson(1000, 42), 1_000));
    }

    @Test
    void poissonMeanIntervalIsOneOverTheRate() {
        double mean = DoubleStream.of(draws(Arrivals.poisson(1000, 42), 100_000)).average().orElseThrow();

        // 1 ms mean; 5 % is far more than the ~0.3 % standard error of 100,000 exponential draws.
        assertThat(mean).isCloseTo(1e6, within(0.05 * 1e6));
    }

    @Test
    void constantScheduleSpacesRequestsEvenly() {
        assertThat(draws(Arrivals.constant(3), 3)).containsOnly(1e9 / 3);
    }

    private static double[] draws(Arrivals arrivals, int count) {
        DoubleSupplier intervals = arrivals.intervals();
        double[] result = new double[count];
        for (int i = 0; i < count; i++) {
            result[i] = intervals.getAsDouble();
        }
        return result;
    }
}
