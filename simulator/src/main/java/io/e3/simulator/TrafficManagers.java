package io.e3.simulator;

import io.e3.model.app.MicroserviceType;

import java.util.Arrays;

/**
 * The traffic managers of every SmartNIC: the FIFO server that passes host-bound packets from the SmartNIC's port to
 * its host, slowed by the microservices running on the SmartNIC. The model is the node agents' ({@code
 * emu/TrafficManager.java}, docs/node-agent.md), at dilation 1:
 *
 * <pre>
 *   forwarding time of a packet of b bytes = 8·(b + 24) / B · (1 + β · Σ_i κ(type_i) · u_i)
 * </pre>
 *
 * with B the port's bandwidth, 24 B of Ethernet framing, u_i the share of the SmartNIC's cores instance i kept busy in
 * the last heartbeat window, κ = 1 for Top ranker, Spike and API gateway (§5.6.2) and 0.1 for the rest, β the
 * interference gain. A packet that finds {@link FabricSettings#tmQueuePackets()} waiting is dropped (tail drop).
 * Each queue is a virtual clock plus a ring of the departure times of the packets it holds, for its depth.
 */
final class TrafficManagers {

    /** Ethernet preamble, inter-frame gap and CRC per packet. */
    static final int FRAMING_BYTES = 24;

    private final int[] index;
    private final long[] freeAt;
    private final double[] nanosPerByte;
    private final double[] pressure;
    private final long[][] departures;
    private final int[] head;
    private final int[] depth;
    private final long[] dropped;
    private final long[] forwarded;
    private final double gain;
    private final int limit;

    TrafficManagers(Fabric fabric, FabricSettings settings) {
        int n = fabric.size();
        index = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            index[i] = fabric.smartNic[i] ? count++ : -1;
        }
        freeAt = new long[count];
        nanosPerByte = new double[count];
        pressure = new double[count];
        departures = new long[count][8];
        head = new int[count];
        depth = new int[count];
        dropped = new long[count];
        forwarded = new long[count];
        for (int i = 0; i < n; i++) {
            if (index[i] >= 0) {
                nanosPerByte[index[i]] = 8.0 / fabric.nodes[i].capacity().bandwidthGbps();
            }
        }
        gain = settings.interferenceGain();
        limit = settings.tmQueuePackets();
    }

    /** κ of {@code type}: 1 for the types §5.6.2 found starving hosts, 0.1 otherwise (as the agents have it). */
    static double interference(MicroserviceType type) {
        return switch (type) {
            case TOP_RANKER, SPIKE, API_GATEWAY -> 1.0;
            default -> 0.1;
        };
    }

    /** Sets Σ κ_i·u_i of SmartNIC {@code nic} for the next window, clamped to [0, 1]. */
    void setPressure(int nic, double kappaWeightedUtilisation) {
        pressure[index[nic]] = kappaWeightedUtilisation > 0 ? Math.min(1, kappaWeightedUtilisation) : 0;
    }

    /**
     * Queues a packet of {@code bytes} arriving at {@code now} at SmartNIC {@code nic}; returns when it has been
     * forwarded, or -1 if the queue was full and it is dropped.
     */
    long enqueue(int nic, long now, int bytes) {
        int t = index[nic];
        int d = drain(t, now);
        if (d >= limit) {
            dropped[t]++;
            return -1;
        }
        long start = Math.max(freeAt[t], now);
        long end = start + Math.round((bytes + FRAMING_BYTES) * nanosPerByte[t] * (1 + gain * pressure[t]));
        freeAt[t] = end;
        long[] ring = departures[t];
        if (d == ring.length) {
            long[] grown = new long[ring.length * 2];
            for (int k = 0; k < d; k++) {
                grown[k] = ring[(head[t] + k) & (ring.length - 1)];
            }
            departures[t] = ring = grown;
            head[t] = 0;
        }
        ring[(head[t] + d) & (ring.length - 1)] = end;
        forwarded[t]++;
        depth[t] = d + 1;
        return end;
    }

    /** Packets waiting at SmartNIC {@code nic} at {@code now}. */
    int depth(int nic, long now) {
        return drain(index[nic], now);
    }

    /** Packets SmartNIC {@code nic} has accepted to forward to its host; 0 for a host. */
    long forwarded(int nic) {
        return index[nic] < 0 ? 0 : forwarded[index[nic]];
    }

    /** Packets dropped by all traffic managers. */
    long dropped() {
        return Arrays.stream(dropped).sum();
    }

    private int drain(int t, long now) {
        long[] ring = departures[t];
        int h = head[t];
        int d = depth[t];
        while (d > 0 && ring[h] <= now) {
            h = (h + 1) & (ring.length - 1);
            d--;
        }
        head[t] = h;
        depth[t] = d;
        return d;
    }
}
