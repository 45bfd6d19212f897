package io.e3.simulator;

/**
 * The modelled hardware knobs of the simulated fabric, the same ones the node agents' emulation uses at dilation 1
 * ({@code io.e3.agent.emu.Emulation}, {@code TrafficManager}, {@code Link}; docs/node-agent.md), so that the simulator
 * and the emulated cluster agree.
 *
 * @param hostRttMicros       round trip host to host through the ToR in µs; every other hop class is a fraction or
 *                            a multiple of it ({@link io.e3.model.topology.HopClass}); the agents' default is 20 µs
 * @param interferenceGain    β of the traffic-manager interference model; the agents' default is 20
 * @param tmQueuePackets      packets a SmartNIC traffic manager holds before it drops (tail drop); agents: 4,096
 * @param frameOverheadBytes  bytes a datagram carries besides its payload (frame header and instance id)
 * @param replyBytes          payload bytes of a reply (modelled: the agents' replies carry a JSON tree whose size
 *                            depends on the services' answers)
 * @param retransmitMillis    after how long a caller sends a datagram the fabric dropped again (the agents' minimum
 *                            retransmission timeout, 4 ms)
 */
public record FabricSettings(double hostRttMicros, double interferenceGain, int tmQueuePackets, int frameOverheadBytes,
                             int replyBytes, double retransmitMillis) {

    /** The node agents' defaults at dilation 1. */
    public static final FabricSettings DEFAULT = new FabricSettings(20, 20, 4096, 64, 256, 4);

    public FabricSettings {
        atLeast("hostRttMicros", hostRttMicros, 0);
        atLeast("interferenceGain", interferenceGain, 0);
        atLeast("tmQueuePackets", tmQueuePackets, 1);
        atLeast("frameOverheadBytes", frameOverheadBytes, 0);
        atLeast("replyBytes", replyBytes, 1);
        if (!(retransmitMillis > 0) || Double.isInfinite(retransmitMillis)) {
            throw new IllegalArgumentException("retransmitMillis must be > 0, got " + retransmitMillis);
        }
    }

    private static void atLeast(String name, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be >= " + (long) min + ", got " + value);
        }
    }

    /** These settings with another interference gain β. */
    public FabricSettings withInterferenceGain(double gain) {
        return new FabricSettings(hostRttMicros, gain, tmQueuePackets, frameOverheadBytes, replyBytes,
                retransmitMillis);
    }
}
