package io.e3.simulator;

/**
 * A change of the open-loop client's offered rate at a point of simulated time: a load step, to drive nodes into
 * overload.
 *
 * @param atSeconds simulated time of the step, at least 0
 * @param rate      the new offered rate in requests per second, greater than 0
 */
public record LoadStep(double atSeconds, double rate) {

    public LoadStep {
        if (!(atSeconds >= 0) || Double.isInfinite(atSeconds)) {
            throw new IllegalArgumentException("load step time must be >= 0 s, got " + atSeconds);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("load step rate must be > 0 requests per second, got " + rate);
        }
    }
}
