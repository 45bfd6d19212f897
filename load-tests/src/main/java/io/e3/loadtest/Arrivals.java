package io.e3.loadtest;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * When an open-loop run sends its requests: evenly spaced, or a Poisson process (exponential gaps) drawn from a
 * seeded generator, so the same seed gives the same schedule.
 *
 * @param kind          constant spacing or Poisson
 * @param ratePerSecond mean requests per second; must be finite and &gt; 0
 * @param seed          seed of the Poisson draws; ignored for constant spacing
 */
public record Arrivals(Kind kind, double ratePerSecond, long seed) {

    /** How the gaps between requests are drawn. */
    public enum Kind { CONSTANT, POISSON }

    public Arrivals {
        Objects.requireNonNull(kind, "kind");
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate: must be a finite number > 0 requests/s, got " + ratePerSecond);
        }
    }

    /** Requests exactly {@code 1 / ratePerSecond} apart. */
    public static Arrivals constant(double ratePerSecond) {
        return new Arrivals(Kind.CONSTANT, ratePerSecond, 0);
    }

    /** A Poisson process of the given mean rate; the same seed gives the same gaps. */
    public static Arrivals poisson(double ratePerSecond, long seed) {
        return new Arrivals(Kind.POISSON, ratePerSecond, seed);
    }

    /**
     * A fresh stream of gaps between consecutive requests, in nanoseconds (fractional, so a constant rate that
     * does not divide a second does not drift). Each call starts the schedule over.
     */
    public DoubleSupplier intervals() {
        double meanNanos = 1e9 / ratePerSecond;
        if (kind == Kind.CONSTANT) {
            return () -> meanNanos;
        }
        SplittableRandom random = new SplittableRandom(seed);
        // Inverse transform: -ln(U) with U in (0, 1] is exponential with mean 1.
        return () -> -Math.log(1.0 - random.nextDouble()) * meanNanos;
    }
}
