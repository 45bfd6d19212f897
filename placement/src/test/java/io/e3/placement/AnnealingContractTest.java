package io.e3.placement;

import io.e3.placement.annealing.AnnealingStrategy;

class AnnealingContractTest extends PlacementContractTest {

    @Override
    PlacementStrategy strategy() {
        return new AnnealingStrategy();
    }
}
