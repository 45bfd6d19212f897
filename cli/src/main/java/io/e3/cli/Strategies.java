package io.e3.cli;

import io.e3.placement.PlacementStrategy;
import io.e3.placement.strategies.PlacementStrategies;

import java.util.ArrayList;
import java.util.List;

/** Placement strategies named on the command line. */
final class Strategies {

    private Strategies() {
    }

    /** The strategies called {@code names}, or bad input naming every unknown one and the option it came from. */
    static List<PlacementStrategy> resolve(String option, List<String> names) {
        List<PlacementStrategy> strategies = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            PlacementStrategies.byName(name).ifPresentOrElse(strategies::add, () -> problems.add(option
                    + ": unknown strategy '" + name + "'; expected one of: "
                    + String.join(", ", PlacementStrategies.names())));
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        return strategies;
    }
}
