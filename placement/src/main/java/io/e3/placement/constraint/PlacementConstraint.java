package io.e3.placement.constraint;

import io.e3.placement.LoadModel;
import io.e3.placement.PlacementState;

/** One rule a placement must keep (§5.4.3). */
public interface PlacementConstraint {

    /** What the rule guards, for summaries of refusals: e.g. {@code resources}, {@code fault domain}. */
    String name();

    /**
     * Whether {@code node} may take the instance of {@code demand} in {@code state}.
     *
     * @param demand what the instance asks, including its expected load
     * @param node   a node index of {@code state.topology()}
     * @param state  the placement so far; not modified
     * @return never null
     */
    Verdict check(LoadModel.Demand demand, int node, PlacementState state);
}
