package io.e3.cli.architecture.cycle.b;

import io.e3.cli.architecture.cycle.a.Left;

/** Fixture: the other half of a package cycle, for {@code ArchitectureRulesTest}. */
public final class Right {

    public Left left() {
        return new Left();
    }
}
