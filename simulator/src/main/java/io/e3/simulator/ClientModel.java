package io.e3.simulator;

import java.util.Objects;

/**
 * The simulated client, with the arrival processes of {@code e3 load}: open loop at a constant or Poisson rate, or
 * closed loop with a fixed number of requests outstanding. In open loop, latency counts from each request's intended
 * arrival time, so a stalled cluster shows in the tail (no coordinated omission).
 *
 * @param arrivals    how requests arrive
 * @param rate        open loop: offered requests per second over all apps, greater than 0; closed loop: 0
 * @param outstanding closed loop: requests kept outstanding, at least 1; open loop: 0
 */
public record ClientModel(Arrivals arrivals, double rate, int outstanding) {

    /** The arrival processes. */
    public enum Arrivals {
        /** Open loop, evenly spaced arrivals. */
        CONSTANT,
        /** Open loop, exponential inter-arrival times (seeded). */
        POISSON,
        /** Closed loop: a request is sent as soon as one completes. */
        CLOSED
    }

    public ClientModel {
        Objects.requireNonNull(arrivals, "arrivals");
        if (arrivals == Arrivals.CLOSED) {
            if (outstanding < 1) {
                throw new IllegalArgumentException("closed loop: outstanding requests must be >= 1, got "
                        + outstanding);
            }
        } else if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("open loop: rate must be > 0 requests per second, got " + rate);
        }
    }

    /** Open loop, evenly spaced arrivals at {@code rate} per second. */
    public static ClientModel constant(double rate) {
        return new ClientModel(Arrivals.CONSTANT, rate, 0);
    }

    /** Open loop, Poisson arrivals at {@code rate} per second. */
    public static ClientModel poisson(double rate) {
        return new ClientModel(Arrivals.POISSON, rate, 0);
    }

    /** Closed loop with {@code outstanding} requests in flight. */
    public static ClientModel closed(int outstanding) {
        return new ClientModel(Arrivals.CLOSED, 0, outstanding);
    }

    public boolean openLoop() {
        return arrivals != Arrivals.CLOSED;
    }

    /** The same process at another rate (open loop only). */
    public ClientModel withRate(double newRate) {
        if (!openLoop()) {
            throw new IllegalStateException("a closed-loop client has no rate");
        }
        return new ClientModel(arrivals, newRate, 0);
    }
}
