package io.e3.agent.emu;

/**
 * The emulated cores of one compute node (§5.4, execution engine): requests are steered onto cores round-robin and
 * each core runs one request at a time to completion. A core is a virtual clock, the real time at which it will be free;
 * a request admitted at {@code now} with a dilated service time {@code t} on a core free at {@code f} finishes at
 * {@code max(now, f) + t}. The node holds the request's answer until then. Thread-safe.
 *
 * <p>At saturation a node of {@code n} cores therefore completes exactly {@code n / t} requests per real second,
 * whatever the real machine does, as long as the real execution keeps ahead of the virtual clocks.
 */
public final class Cores {

    private final long[] freeAt;
    private int next;
    private long busyNanos;

    public Cores(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1, got " + cores);
        }
        freeAt = new long[cores];
        long now = System.nanoTime();
        java.util.Arrays.fill(freeAt, now);
    }

    public int count() {
        return freeAt.length;
    }

    /**
     * Admits a request arriving at {@code arrivalNanos} that needs {@code serviceNanos} of (dilated) core time.
     *
     * @return the real time, in {@link System#nanoTime()} terms, at which its core finishes it
     */
    public synchronized long admit(long arrivalNanos, long serviceNanos) {
        int core = next;
        next = (next + 1) % freeAt.length;
        long start = freeAt[core] - arrivalNanos > 0 ? freeAt[core] : arrivalNanos;
        long end = start + Math.max(0, serviceNanos);
        freeAt[core] = end;
        busyNanos += Math.max(0, serviceNanos);
        return end;
    }

    /** Dilated core time admitted so far, over all cores. */
    public synchronized long busyNanos() {
        return busyNanos;
    }
}
