package io.e3.agent.emu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CoresTest {

    private static final long MS = 1_000_000L;

    @Test
    void steersRequestsOntoCoresInTurnRatherThanOntoTheLeastLoaded() {
        Cores cores = new Cores(3);
        long t0 = System.nanoTime();

        assertThat(cores.admit(t0, 100)).isEqualTo(t0 + 100);
        assertThat(cores.admit(t0, 200)).isEqualTo(t0 + 200);
        assertThat(cores.admit(t0, 300)).isEqualTo(t0 + 300);
        // Core 0 again, then core 1: each queues behind what that core already holds.
        assertThat(cores.admit(t0, 1)).isEqualTo(t0 + 101);
        assertThat(cores.admit(t0, 1)).isEqualTo(t0 + 201);
        assertThat(cores.admit(t0, 1)).isEqualTo(t0 + 301);
    }

    @Test
    void completesExactlyNOverTRequestsPerSecondAtSaturation() {
        int n = 4;
        long t = 2 * MS;
        Cores cores = new Cores(n);
        long t0 = System.nanoTime();

        long[] done = new long[1_200];
        for (int i = 0; i < done.length; i++) {
            done[i] = cores.admit(t0, t) - t0;
        }

        // Request i is the (i / n + 1)-th on its core: n completions every t, none early, none late.
        for (int i = 0; i < done.length; i++) {
            assertThat(done[i]).as("request %d", i).isEqualTo((i / n + 1) * t);
        }
        long last = Arrays.stream(done).max().orElseThrow();
        assertThat(last).isEqualTo(300 * t);
        double perSecond = done.length / (last / 1e9);
        assertThat(perSecond).isEqualTo(n / (t / 1e9));
        assertThat(Arrays.stream(done).filter(d -> d <= 100 * t).count()).isEqualTo(100L * n);
    }

    @Test
    void idleCoreStartsARequestWhenItArrivesNotWhenTheCoreFreedUp() {
        Cores cores = new Cores(2);
        long t0 = System.nanoTime();
        cores.admit(t0, 100);
        cores.admit(t0, 100);

        assertThat(cores.admit(t0 + 5_000, 40)).isEqualTo(t0 + 5_040);
        assertThat(cores.admit(t0 + 7_000, 40)).isEqualTo(t0 + 7_040);
    }

    @Test
    void busyCoreStartsARequestWhenItFreesUp() {
        Cores cores = new Cores(1);
        long t0 = System.nanoTime();
        cores.admit(t0, 1_000);

        assertThat(cores.admit(t0 + 10, 50)).isEqualTo(t0 + 1_050);
        assertThat(cores.admit(t0 + 20, 50)).isEqualTo(t0 + 1_100);
    }

    @Test
    void accountsAdmittedServiceTimeButNotIdleTime() {
        Cores cores = new Cores(2);
        long t0 = System.nanoTime();
        assertThat(cores.busyNanos()).isZero();

        cores.admit(t0, 300);
        cores.admit(t0 + 10_000, 500);
        cores.admit(t0 + 20_000, 200);

        assertThat(cores.busyNanos()).isEqualTo(1_000);
    }

    @Test
    void knowsHowManyCoresItHas() {
        assertThat(new Cores(12).count()).isEqualTo(12);
    }

    @Test
    void rejectsFewerThanOneCore() {
        assertThatThrownBy(() -> new Cores(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cores must be >= 1, got 0");
    }
}
