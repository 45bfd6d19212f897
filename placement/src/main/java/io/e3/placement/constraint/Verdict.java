package io.e3.placement.constraint;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A constraint's answer for one instance on one node: whether the node may take it, why not, and how far it is from
 * fitting. The reason is written only when asked for, since searches test many nodes and read few reasons.
 */
public final class Verdict {

    public static final Verdict OK = new Verdict(true, () -> "", 0);

    private final boolean ok;
    private final Supplier<String> reason;
    private final double shortfall;

    private Verdict(boolean ok, Supplier<String> reason, double shortfall) {
        this.ok = ok;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.shortfall = shortfall;
    }

    /** A refusal with a finite shortfall (something more capacity would fix). */
    public static Verdict shortOf(double shortfall, Supplier<String> reason) {
        return new Verdict(false, reason, Math.max(shortfall, Double.MIN_VALUE));
    }

    /** A refusal that no amount of capacity would fix (a pin, a fault domain). */
    public static Verdict never(Supplier<String> reason) {
        return new Verdict(false, reason, Double.POSITIVE_INFINITY);
    }

    /** Whether the node may take the instance. */
    public boolean ok() {
        return ok;
    }

    /**
     * Why not, stating what was asked against what is there ("smartnic s3/nic0: free memory 512 MiB < 2048 MiB
     * asked"); empty when ok.
     */
    public String reason() {
        return reason.get();
    }

    /**
     * How far from fitting, to find the node closest to the constraints: 0 when ok, otherwise the missing share of the
     * node's capacity summed over resources, or infinity for a rule no capacity can satisfy.
     */
    public double shortfall() {
        return shortfall;
    }

    @Override
    public String toString() {
        return ok ? "ok" : reason();
    }
}
