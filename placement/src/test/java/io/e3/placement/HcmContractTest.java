package io.e3.placement;

import io.e3.placement.hcm.HcmStrategy;

class HcmContractTest extends PlacementContractTest {

    @Override
    PlacementStrategy strategy() {
        return new HcmStrategy();
    }
}
