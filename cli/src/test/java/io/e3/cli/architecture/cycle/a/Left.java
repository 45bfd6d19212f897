package io.e3.cli.architecture.cycle.a;

import io.e3.cli.architecture.cycle.b.Right;

/** Fixture: one half of a package cycle, for {@code ArchitectureRulesTest}. */
public final class Left {

    public Right right() {
        return new Right();
    }
}
