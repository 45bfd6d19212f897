package io.e3.agent.emu;

import io.e3.model.app.MicroserviceType;

/**
 * The traffic manager of one emulated SmartNIC (§5.4, §5.4.2): the hardware block that passes host-bound packets from
 * the SmartNIC's port to its host. It is a single FIFO server with a bounded queue, and microservices running on the
 * SmartNIC slow it down by contending with the firmware for cache and memory bandwidth (§5.3.4). Modelled, with this
 * formula:
 *
 * <pre>
 *   forwarding time of a packet of b bytes = 8·(b + 24) / B · D · (1 + β · Σ_i κ(type_i) · u_i)
 * </pre>
 *
 * <ul>
 *   <li>B: the SmartNIC port's bandwidth (Table 5.4: 20 Gb/s Type1, 10 Gb/s Type2); the 24 bytes are Ethernet's
 *       preamble, inter-frame gap and CRC, so without interference the traffic manager forwards at line rate;</li>
 *   <li>D: the dilation factor;</li>
 *   <li>u_i: the share of the SmartNIC's cores instance i kept busy over the last statistics window, in [0, 1];</li>
 *   <li>κ(type) in [0, 1]: how hard a microservice type presses on the shared cache and memory. §5.6.2 names the
 *       types that starved hosts in the chapter's experiments, Top ranker, Spike and API gateway: κ = 1. Every other
 *       type κ = 0.1, the contention any running code causes;</li>
 *   <li>β: the gain, {@value #DEFAULT_GAIN} by default (configurable, {@link Emulation#interferenceGain()}): a SmartNIC
 *       whose cores are all busy with a κ = 1 service forwards at 1/21 of line rate, enough for a standing queue at
 *       the load of the chapter's experiments while the port's bandwidth is far from used, which is the host
 *       starvation signature the orchestrator looks for (§5.4.4).</li>
 * </ul>
 *
 * A packet arriving to a full queue ({@link Emulation#tmQueuePackets()}) is dropped and counted; the lossless channels
 * retransmit it. Thread-safe.
 */
public final class TrafficManager {

    /** Default β. */
    public static final double DEFAULT_GAIN = 20;

    /** Ethernet framing bytes per packet on the wire besides the payload. */
    static final int FRAMING_BYTES = 24;

    private final double nanosPerByte;
    private final double gain;
    private final int limit;
    private long freeAt = System.nanoTime();
    private int depth;
    private long forwarded;
    private long dropped;
    private long duplicates;
    private double pressure;

    public TrafficManager(double portGbps, Emulation emulation) {
        this.nanosPerByte = 8.0 / portGbps * emulation.dilation();
        this.gain = emulation.interferenceGain();
        this.limit = emulation.tmQueuePackets();
    }

    /** κ of {@code type}: 1 for the types §5.6.2 found starving hosts, 0.1 otherwise. */
    public static double interference(MicroserviceType type) {
        return switch (type) {
            case TOP_RANKER, SPIKE, API_GATEWAY -> 1.0;
            default -> 0.1;
        };
    }

    /**
     * Sets Σ κ_i·u_i for the instances on this SmartNIC, as measured over the last window; clamped to [0, 1], NaN taken
     * as 0.
     */
    public synchronized void setPressure(double kappaWeightedUtilisation) {
        pressure = kappaWeightedUtilisation > 0 ? Math.min(1, kappaWeightedUtilisation) : 0;
    }

    public synchronized double pressure() {
        return pressure;
    }

    /** The slowdown factor 1 + β·pressure now in force. */
    public synchronized double slowdown() {
        return 1 + gain * pressure;
    }

    /**
     * Queues a packet of {@code size} bytes arriving at {@code nowNanos}.
     *
     * @return the real time at which the traffic manager has forwarded it, or -1 if the queue was full and the packet
     *         is dropped
     */
    public synchronized long enqueue(long nowNanos, int size) {
        if (depth >= limit) {
            dropped++;
            return -1;
        }
        depth++;
        long start = freeAt - nowNanos > 0 ? freeAt : nowNanos;
        freeAt = start + Math.round((size + FRAMING_BYTES) * nanosPerByte * (1 + gain * pressure));
        return freeAt;
    }

    /** Tells the traffic manager that a packet it queued has left. */
    public synchronized void dequeued() {
        depth--;
        forwarded++;
    }

    /** Packets waiting now. */
    public synchronized int depth() {
        return depth;
    }

    public synchronized long forwarded() {
        return forwarded;
    }

    public synchronized long dropped() {
        return dropped;
    }

    /** Counts a copy of a request that was already waiting in the queue, dropped instead of queued. */
    public synchronized void duplicateDropped() {
        duplicates++;
    }

    public synchronized long duplicates() {
        return duplicates;
    }
}
