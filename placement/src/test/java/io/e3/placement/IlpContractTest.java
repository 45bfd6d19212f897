package io.e3.placement;

import io.e3.placement.ilp.IlpStrategy;

import java.time.Duration;

class IlpContractTest extends PlacementContractTest {

    @Override
    PlacementStrategy strategy() {
        return new IlpStrategy(IlpStrategy.Objective.SERVICE_FABRIC);
    }

    /** The contract holds whether or not the solver proves optimality; 2 s of deterministic time keeps it short. */
    @Override
    Duration timeLimit() {
        return Duration.ofSeconds(2);
    }
}
