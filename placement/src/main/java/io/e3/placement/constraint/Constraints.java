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

    /**
     * Pins, backups after their primary, fault domains, runtime statistics and resources (with the load model), in
     * that order.
     */
    public static Constraints forApp(AppSpec app) {
        PinConstraint pins = new PinConstraint(app);
        return new Constraints(List.of(pins, new PrimaryFirstConstraint(), new FaultDomainConstraint(app),
                RuntimeConstraint.DEFAULT, new ResourceConstraint()), pins);
    }

    /**
     * As {@link #forApp}, for moving an instance that already runs (failover, migration, move back, a new backup
     * seeded from a live copy): without "backups after their primary", an order rule for placing an app, since the
     * shard it belongs to is served (by its primary or by a backup promoted in its place) while it moves.
     */
    public static Constraints forRelocation(AppSpec app) {
        PinConstraint pins = new PinConstraint(app);
        return new Constraints(List.of(pins, new FaultDomainConstraint(app), RuntimeConstraint.DEFAULT,
                new ResourceConstraint()), pins);
    }

    public PinConstraint pins() {
        return pins;
    }

    /** The first refusal among the constraints, or {@link Verdict#OK}. */
    public Verdict check(LoadModel.Demand demand, int node, PlacementState state) {
        return refusal(demand, node, state).verdict();
    }

    /** A verdict with the name of the constraint that gave it ({@code null} when the node is acceptable). */
    public record Refusal(String rule, Verdict verdict) {
        static final Refusal NONE = new Refusal(null, Verdict.OK);
    }

    /** The first refusal among the constraints with the constraint's name, or {@link Refusal#NONE}. */
    public Refusal refusal(LoadModel.Demand demand, int node, PlacementState state) {
        for (PlacementConstraint c : all) {
            Verdict v = c.check(demand, node, state);
            if (!v.ok()) {
                return new Refusal(c.name(), v);
            }
        }
        return Refusal.NONE;
    }
}
