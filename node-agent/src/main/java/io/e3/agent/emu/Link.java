package io.e3.agent.emu;

/**
 * A network link of fixed bandwidth, as a virtual clock: a datagram of b bytes handed to it at {@code now} leaves at
 * {@code max(now, free) + 8·b·D / bandwidth}. Thread-safe.
 */
public final class Link {

    private final double nanosPerByte;
    private long freeAt = System.nanoTime();
    private long bytes;

    /**
     * @param bandwidthGbps the modelled bandwidth in Gb/s
     * @param dilation      D
     */
    public Link(double bandwidthGbps, double dilation) {
        if (!(bandwidthGbps > 0)) {
            throw new IllegalArgumentException("bandwidth must be > 0, got " + bandwidthGbps);
        }
        this.nanosPerByte = 8.0 / bandwidthGbps * dilation;
    }

    /** Real time at which a datagram of {@code size} bytes handed over at {@code nowNanos} has been sent. */
    public synchronized long transmit(long nowNanos, int size) {
        long start = freeAt - nowNanos > 0 ? freeAt : nowNanos;
        freeAt = start + Math.round(size * nanosPerByte);
        bytes += size;
        return freeAt;
    }

    /** Bytes sent over the link so far. */
    public synchronized long bytes() {
        return bytes;
    }
}
