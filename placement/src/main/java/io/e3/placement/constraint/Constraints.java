package io.e3.placement.constraint;

import io.e3.model.app.AppSpec;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementState;

import java.util.List;

/** All the constraints of §5.4.3 and §5.4.5 for one app, checked together. */
public final class Constraints {

    private final List<PlacementConstraint> all;
    private final PinConstraint pins;

    private Constraints(List<PlacementConstraint> all, PinConstraint pins) {
        this.all = List.copyOf(all);
        this.pins = pins;
    }

    /** Pins, fault domains, runtime statistics and resources (with the load model), in that order. */
    public static Constraints forApp(AppSpec app) {
        PinConstraint pins = new PinConstraint(app);
        return new Constraints(List.of(pins, new FaultDomainConstraint(app), RuntimeConstraint.DEFAULT,
                new ResourceConstraint()), pins);
    }

    public PinConstraint pins() {
        return pins;
    }

    /** The first refusal among the constraints, or {@link Verdict#OK}. */
    public Verdict check(LoadModel.Demand demand, int node, PlacementState state) {
        for (PlacementConstraint c : all) {
            Verdict v = c.check(demand, node, state);
            if (!v.ok()) {
                return v;
            }
        }
        return Verdict.OK;
    }
}
