package io.e3.agent.net;

import java.util.List;

/**
 * Equal-cost multi-path choice of a port for a flow (§5.4.2), by rendezvous (highest-random-weight) hashing: each live
 * port scores {@code mix(flow, port)} and the highest wins. Spreads flows evenly, and when a port leaves the group only
 * the flows it carried move, each to the remaining port that scores highest for it; flows on other ports stay put.
 */
public final class Ecmp {

    private Ecmp() {
    }

    /** The flow key of the 3-tuple the switch hashes. */
    public static long flowKey(int srcIp, int dstIp, int flowId) {
        return mix(((long) srcIp << 32) ^ (dstIp & 0xffffffffL) ^ ((long) flowId * 0x9E3779B97F4A7C15L));
    }

    /**
     * The index in {@code ports} of the live port that carries {@code flowKey}, or -1 when none is live.
     *
     * @param portSeeds a stable number per port (its address)
     * @param live      which ports are up
     */
    public static int choose(long flowKey, List<Integer> portSeeds, boolean[] live) {
        int best = -1;
        long bestScore = Long.MIN_VALUE;
        for (int i = 0; i < portSeeds.size(); i++) {
            if (!live[i]) {
                continue;
            }
            long score = mix(flowKey ^ (portSeeds.get(i) * 0xC2B2AE3D27D4EB4FL));
            if (best < 0 || score > bestScore) {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    /** The 64-bit finaliser of MurmurHash3. */
    public static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
