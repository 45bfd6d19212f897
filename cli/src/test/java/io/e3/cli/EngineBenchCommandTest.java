package io.e3.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EngineBenchCommandTest {

    @Test
    void simulatorPrintsARowPerClusterSize() {
        CliRun run = CliRun.of("bench", "simulator", "--servers", "8,16", "--duration", "500ms");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).hasSize(3);
        assertThat(run.out()).contains("EVENTS/S", "80 ", "160 ");
    }

    @Test
    void loadGeneratorSaysWhetherItKeptItsRate() {
        CliRun run = CliRun.of("bench", "load-generator", "--rate", "500", "--duration", "1s");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("offered 500 requests/s for 1.00 s", "within 2 %: ");
    }

    @Test
    void badSizesAndRatesExitTwo() {
        assertThat(CliRun.of("bench", "simulator", "--servers", "0").exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(CliRun.of("bench", "load-generator", "--rate", "-1").exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    }
}
