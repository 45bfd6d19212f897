package io.e3.agent.emu;

import io.e3.model.topology.HopClass;

/**
 * The knobs of the emulated hardware, shared by every node of one emulated cluster (DESIGN.md "Emulation rules").
 *
 * <p>All emulated time is stretched by the dilation factor D: a request whose modelled service time is s is held for
 * s·D of real time, a link sends a byte in 8·D/bandwidth seconds, a hop of the fabric takes D times its modelled
 * latency. Figures the agent reports (heartbeats, metrics, power) are converted back to emulated time by dividing real
 * durations by D, so ratios between configurations do not depend on D as long as the real machine keeps up; the
 * governor counts the requests whose real execution took longer than their dilated budget ("overruns").
 *
 * @param dilation          D, at least 1
 * @param hostRttMicros     modelled round trip host to host through the ToR with kernel-bypass networking, in µs; every
 *                          other hop class is a fraction or a multiple of it ({@link HopClass})
 * @param interferenceGain  β of the traffic-manager interference model ({@link TrafficManager})
 * @param tmQueuePackets    packets a SmartNIC traffic manager can hold; beyond that it drops (tail drop)
 * @param lossRate          probability in [0, 1) that the switch drops a datagram it forwards (fault injection; 0 in
 *                          normal runs)
 * @param runawayMillis     real milliseconds one request may run before its instance is stopped as runaway
 */
public record Emulation(double dilation, double hostRttMicros, double interferenceGain, int tmQueuePackets,
                        double lossRate, long runawayMillis) {

    /** Modelled host-to-host RTT through the ToR: 20 µs, a typical kernel-bypass round trip (an assumption: §5.3.4 gives
     * only the relative figures). */
    public static final double DEFAULT_HOST_RTT_MICROS = 20;

    /** Default dilation: a 2-core machine keeps up with a 3-server Type1 cluster at moderate load. */
    public static final double DEFAULT_DILATION = 20;

    public static final Emulation DEFAULT = new Emulation(DEFAULT_DILATION, DEFAULT_HOST_RTT_MICROS,
            TrafficManager.DEFAULT_GAIN, 4096, 0, 2000);

    public Emulation {
        if (!(dilation >= 1) || Double.isInfinite(dilation)) {
            throw new IllegalArgumentException("dilation must be >= 1, got " + dilation);
        }
        if (!(hostRttMicros >= 0) || Double.isInfinite(hostRttMicros)) {
            throw new IllegalArgumentException("hostRttMicros must be >= 0, got " + hostRttMicros);
        }
        if (!(interferenceGain >= 0) || Double.isInfinite(interferenceGain)) {
            throw new IllegalArgumentException("interferenceGain must be >= 0, got " + interferenceGain);
        }
        if (tmQueuePackets < 1) {
            throw new IllegalArgumentException("tmQueuePackets must be >= 1, got " + tmQueuePackets);
        }
        if (!(lossRate >= 0 && lossRate < 1)) {
            throw new IllegalArgumentException("lossRate must be in [0, 1), got " + lossRate);
        }
        if (runawayMillis < 1) {
            throw new IllegalArgumentException("runawayMillis must be >= 1, got " + runawayMillis);
        }
    }

    public Emulation withDilation(double d) {
        return new Emulation(d, hostRttMicros, interferenceGain, tmQueuePackets, lossRate, runawayMillis);
    }

    public Emulation withLossRate(double rate) {
        return new Emulation(dilation, hostRttMicros, interferenceGain, tmQueuePackets, rate, runawayMillis);
    }

    public Emulation withRunawayMillis(long millis) {
        return new Emulation(dilation, hostRttMicros, interferenceGain, tmQueuePackets, lossRate, millis);
    }

    /** Real nanoseconds that {@code emulatedSeconds} of emulated time take. */
    public long dilatedNanos(double emulatedSeconds) {
        return Math.round(emulatedSeconds * 1e9 * dilation);
    }

    /** Emulated seconds that {@code realNanos} of real time stand for. */
    public double emulatedSeconds(long realNanos) {
        return realNanos / 1e9 / dilation;
    }

    /** Real nanoseconds of a one-way trip of hop class {@code hop}: half its modelled round trip, dilated. */
    public long oneWayNanos(HopClass hop) {
        return dilatedNanos(hop.relativeLatency() * hostRttMicros / 2 / 1e6);
    }
}
