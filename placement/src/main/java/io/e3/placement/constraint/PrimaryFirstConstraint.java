package io.e3.placement.constraint;

import io.e3.model.app.Instance;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementState;

/**
 * A backup is placed only once its primary is (§5.4.5): a backup stands by for a primary that serves, and one whose
 * primary has no node would hold resources and protect nothing.
 */
public final class PrimaryFirstConstraint implements PlacementConstraint {

    @Override
    public String name() {
        return "primary first";
    }

    @Override
    public Verdict check(LoadModel.Demand demand, int node, PlacementState state) {
        Instance instance = demand.instance();
        if (!instance.isBackup() || state.nodeOf(instance.primary()) >= 0) {
            return Verdict.OK;
        }
        return Verdict.never(() -> Describe.node(state.topology().node(node)) + ": " + instance.id()
                + " backs up " + instance.primary() + ", which is not placed");
    }
}
