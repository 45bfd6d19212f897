package io.e3.placement;

import io.e3.model.placement.PlacementResult;

/**
 * A placement algorithm: decides a compute node for every instance of an app.
 *
 * <p>Contract every implementation keeps (checked by the shared contract tests): no node's cores, memory or bandwidth
 * are exceeded, counting what the snapshot already carries; pins are respected; no backup shares a fault domain
 * (server) with its primary or with another backup of it; every instance is either assigned or returned as unplaced
 * with at least one reason; the same request gives the same result.
 */
public interface PlacementStrategy {

    /** The name the factory knows it by, e.g. {@code hcm}. */
    String name();

    /**
     * Places every instance of {@code request.app()}.
     *
     * @return the assignments and unplaced instances; metrics include at least {@code communicationCost} and
     * {@code elapsedMillis}
     */
    PlacementResult place(PlacementRequest request);
}
