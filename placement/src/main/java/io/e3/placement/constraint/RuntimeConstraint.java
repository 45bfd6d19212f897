package io.e3.placement.constraint;

import io.e3.placement.LoadModel;
import io.e3.placement.PlacementState;

/**
 * Runtime statistics (§5.4.3, constraint type 2): a node reported as busy takes no more instances, whatever its
 * reservations say.
 *
 * @param maxUtilisation  highest measured CPU utilisation at which a node still takes instances, in (0, 1]
 * @param maxOutstanding  most outstanding requests at which a node still takes instances
 */
public record RuntimeConstraint(double maxUtilisation, long maxOutstanding) implements PlacementConstraint {

    /** 90 % busy or 10,000 requests waiting: a node in that state is already falling behind. */
    public static final RuntimeConstraint DEFAULT = new RuntimeConstraint(0.9, 10_000);

    public RuntimeConstraint {
        if (!(maxUtilisation > 0 && maxUtilisation <= 1) || maxOutstanding < 0) {
            throw new IllegalArgumentException("maxUtilisation must be in (0, 1] and maxOutstanding >= 0");
        }
    }

    @Override
    public String name() {
        return "runtime load";
    }

    /** Whether the node's measured statistics exceed the limits, whatever is asked of it. */
    public boolean overloaded(int node, PlacementState state) {
        return state.utilisation(node) > maxUtilisation || state.outstandingRequests(node) > maxOutstanding;
    }

    @Override
    public Verdict check(LoadModel.Demand demand, int node, PlacementState state) {
        if (!overloaded(node, state)) {
            return Verdict.OK;
        }
        double u = state.utilisation(node);
        long q = state.outstandingRequests(node);
        String where = Describe.node(state.topology().node(node));
        return u > maxUtilisation
                ? Verdict.shortOf(u - maxUtilisation, () -> where + ": measured utilisation " + Math.round(u * 100)
                        + " % > " + Math.round(maxUtilisation * 100) + " % allowed")
                : Verdict.shortOf((double) (q - maxOutstanding) / Math.max(1, maxOutstanding),
                        () -> where + ": " + q + " outstanding requests > " + maxOutstanding + " allowed");
    }
}
