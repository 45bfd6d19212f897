package io.e3.controller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The migration history is bounded: the oldest finished migrations go first, running ones stay. */
class MigrationsTest {

    @Test
    void keepsTheNewestFinishedAndEveryRunningMigration() {
        Migrations m = new Migrations();
        m.kept = 3;
        long running = m.start("a/x.0", "s0/nic0", "s0/host", "kept while it runs");
        for (int i = 1; i <= 10; i++) {
            long id = m.start("a/x." + i, "s0/nic0", "s0/host", "test");
            m.step(id, "deployed");
            m.finish(id, Migrations.Phase.SUCCEEDED, 10L, null);
        }
        assertThat(m.list()).hasSize(3);
        assertThat(m.list()).extracting(Migrations.View::instance).containsExactly("a/x.0", "a/x.9", "a/x.10");
        assertThat(m.get(running)).hasValueSatisfying(v -> assertThat(v.phase()).isEqualTo(Migrations.Phase.RUNNING));
        m.step(2, "a step for a migration no longer kept");
        m.finish(2, Migrations.Phase.ROLLED_BACK, null, "ignored");
        assertThat(m.get(2)).isEmpty();
    }
}
