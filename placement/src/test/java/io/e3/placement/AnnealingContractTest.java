package io.e3.placement;

import io.e3.placement.annealing.AnnealingStrategy;
import java.time.Duration;

class AnnealingContractTest extends PlacementContractTest {

    @Override
    PlacementStrategy strategy() {
        return new AnnealingStrategy();
    }

    /**
     * Annealing stops after a number of steps, or at this wall-clock limit if it comes first. A limit that binds makes
     * the result depend on the machine's speed and load rather than the seed, so the contract (determinism included) is
     * checked with one that never does.
     */
    @Override
    Duration timeLimit() {
        return Duration.ofMinutes(2);
    }
}
