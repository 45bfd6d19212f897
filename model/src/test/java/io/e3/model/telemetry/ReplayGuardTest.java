package io.e3.model.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    @Test
    void takesOnlyStrictlyHigherEpochAndSequencePerNode() {
        ReplayGuard guard = new ReplayGuard(2);
        assertThat(guard.advance(0, 100, 0)).as("first heartbeat").isTrue();
        assertThat(guard.advance(0, 100, 0)).as("duplicate").isFalse();
        assertThat(guard.advance(0, 100, 5)).isTrue();
        assertThat(guard.advance(0, 100, 3)).as("older sequence").isFalse();
        assertThat(guard.advance(0, 99, 1_000)).as("older epoch, higher sequence").isFalse();
        assertThat(guard.advance(0, 200, 0)).as("restarted agent: higher epoch, sequence from 0").isTrue();
        assertThat(guard.advance(0, 100, 6)).as("the old incarnation's next heartbeat").isFalse();
        assertThat(guard.advance(1, 50, 0)).as("nodes are independent").isTrue();
    }

    @Test
    void checkingChangesNothing() {
        ReplayGuard guard = new ReplayGuard(1);
        assertThat(guard.isFresh(0, 7, 7)).isTrue();
        assertThat(guard.isFresh(0, 7, 7)).isTrue();
        guard.advance(0, 7, 7);
        assertThat(guard.isFresh(0, 7, 7)).isFalse();
        assertThat(guard.isFresh(0, 7, 8)).isTrue();
    }
}
