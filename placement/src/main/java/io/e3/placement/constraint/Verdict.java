package io.e3.placement.constraint;

import java.util.Objects;

/**
 * A constraint's answer for one instance on one node.
 *
 * @param ok        whether the node may take the instance
 * @param reason    why not, stating what was asked against what is there ("smartnic s3/nic0: free memory 512 MiB <
 *                  2048 MiB asked"); empty when ok
 * @param shortfall how far from fitting, for finding the node closest to the constraints: 0 when ok, otherwise the
 *                  missing share of the node's capacity summed over resources, or infinity for a rule no capacity can
 *                  satisfy (a pin, a fault domain)
 */
public record Verdict(boolean ok, String reason, double shortfall) {

    public static final Verdict OK = new Verdict(true, "", 0);

    public Verdict {
        Objects.requireNonNull(reason, "reason");
        if (ok != (shortfall == 0)) {
            throw new IllegalArgumentException("a verdict is ok exactly when its shortfall is 0");
        }
    }

    /** A refusal with a finite shortfall (something more capacity would fix). */
    public static Verdict shortOf(double shortfall, String reason) {
        return new Verdict(false, reason, Math.max(shortfall, Double.MIN_VALUE));
    }

    /** A refusal that no amount of capacity would fix. */
    public static Verdict never(String reason) {
        return new Verdict(false, reason, Double.POSITIVE_INFINITY);
    }
}
