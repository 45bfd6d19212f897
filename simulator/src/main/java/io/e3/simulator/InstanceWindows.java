package io.e3.simulator;

/**
 * What each instance did in the current heartbeat window, counted at dispatch as the node agents count it (the cores
 * are virtual clocks, so a request's completion is known when it is admitted): requests, the sum of their sojourns on
 * the node (queueing and service), and the core time admitted; plus when its last admitted request ends, which a
 * migration waits for (drain).
 */
final class InstanceWindows {

    final int[] requests;
    final long[] sojournNanos;
    final long[] busyNanos;
    final long[] lastEnd;
    /** Requests admitted in the measured window, over the whole run. */
    final long[] served;

    InstanceWindows(int instances) {
        requests = new int[instances];
        sojournNanos = new long[instances];
        busyNanos = new long[instances];
        lastEnd = new long[instances];
        served = new long[instances];
    }

    void admitted(int inst, long serviceNanos, long sojourn, long end) {
        requests[inst]++;
        sojournNanos[inst] += sojourn;
        busyNanos[inst] += serviceNanos;
        if (end > lastEnd[inst]) {
            lastEnd[inst] = end;
        }
    }

    /** Mean sojourn in the window in nanoseconds, 0 without requests. */
    long meanSojourn(int inst) {
        return requests[inst] == 0 ? 0 : sojournNanos[inst] / requests[inst];
    }

    /**
     * Share of one core the instance's admitted requests take over a window of {@code windowNanos}, at most
     * {@code cores}. (The agents clip each request's core time to the window; admitted core time is the same below
     * saturation.)
     */
    float cpuShare(int inst, long windowNanos, int cores) {
        return (float) Math.min(cores, busyNanos[inst] / (double) windowNanos);
    }

    void reset(int inst) {
        requests[inst] = 0;
        sojournNanos[inst] = 0;
        busyNanos[inst] = 0;
    }
}
