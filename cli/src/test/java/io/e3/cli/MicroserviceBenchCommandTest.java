package io.e3.cli;

import io.e3.cli.bench.MicroserviceBench;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MicroserviceBenchCommandTest {

    private static MicroserviceBench.Row row(double bytes, double nanos) {
        return new MicroserviceBench.Row("t", 0, bytes, nanos, 0, nanos, 0, 1000);
    }

    @Test
    void sizeShareIsTheByteProportionalPartOfTheCostAt512Bytes() {
        // cost = 100 ns + 0.5 ns/B: at 512 B, 256 of 356 ns grow with size -> 71.9 %.
        List<MicroserviceBench.Row> rows = List.of(row(64, 132), row(512, 356), row(1024, 612));
        assertThat(MicroserviceBenchCommand.sizeShareAt512(rows)).isCloseTo(256.0 / 356, within(1e-9));
    }

    @Test
    void sizeShareIsUnknownWhenRequestsDoNotVaryInSize() {
        assertThat(MicroserviceBenchCommand.sizeShareAt512(List.of(row(49, 100), row(50, 120)))).isNull();
        assertThat(MicroserviceBenchCommand.sizeShareAt512(List.of(row(512, 100)))).isNull();
    }

    @Test
    void sizeShareIsZeroWhenLargerRequestsAreNotDearer() {
        assertThat(MicroserviceBenchCommand.sizeShareAt512(List.of(row(64, 200), row(1024, 150)))).isZero();
    }
}
